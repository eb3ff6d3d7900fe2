// Package lib is not a main package.
package lib

// Double doubles x.
func Double(x int) int { return 2 * x }
