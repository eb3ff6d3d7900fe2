// Package c has a finding.
package c

// Squares returns the first n squares.
func Squares(n int) []int {
	var out []int
	for i := 0; i < n; i++ {
		out = append(out, i*i)
	}
	return out
}
