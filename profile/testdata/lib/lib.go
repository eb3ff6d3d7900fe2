// Package lib is a library with a benchmark, for --bench.
package lib

// Sum adds the integers below n.
func Sum(n int) int {
	s := 0
	for i := range n {
		s += i
	}
	return s
}
