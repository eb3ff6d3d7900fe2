// Package store is the second package of the fixture.
package store

import "slices"

// Count sums the counts of the keys present in m.
func Count(m map[string]int, keys []string) int {
	n := 0
	for _, k := range keys {
		if _, ok := m[k]; ok {
			n += m[k]
		}
	}
	return n
}

// Common returns the elements of a that are also in b.
func Common(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
