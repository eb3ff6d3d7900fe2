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

// Table returns the squares of 0..i-1 for each i in 1..n; it calls Squares
// in a loop, so the finding above is not one that runs once per call.
func Table(n int) [][]int {
	t := make([][]int, 0, n)
	for i := 1; i <= n; i++ {
		t = append(t, Squares(i))
	}
	return t
}
