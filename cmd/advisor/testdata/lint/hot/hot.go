// Package hot has two findings of the same rule: one in code a benchmark
// keeps busy, one in code it calls once.
package hot

// Hot joins words by repeated concatenation: quadratic copying.
func Hot(words []string) string {
	s := ""
	for _, w := range words {
		s += w
	}
	return s
}

// Cold does the same, but runs once.
func Cold(words []string) string {
	t := ""
	for _, w := range words {
		t += w
	}
	return t
}
