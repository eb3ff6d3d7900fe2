// Package b does not type-check.
package b

// Bad returns a string as an int.
func Bad() int { return "not an int" }
