// Package testutil helps tests.
package testutil

// Join joins.
func Join(words []string) string {
	s := ""
	for _, w := range words {
		s += w
	}
	return s
}
