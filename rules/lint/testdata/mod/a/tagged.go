//go:build special

package a

// Tagged is only built with -tags=special.
func Tagged() int { return slow() }
