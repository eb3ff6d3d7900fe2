// Package docgen generates documentation.
package docgen

// Join joins.
func Join(words []string) string {
	s := ""
	for _, w := range words {
		s += w
	}
	return s
}

// DumpAll prints for debugging.
func DumpAll(words []string) string {
	s := ""
	for _, w := range words {
		s += w
	}
	return s
}
