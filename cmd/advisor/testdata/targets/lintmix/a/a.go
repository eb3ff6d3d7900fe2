// Package a has a finding.
package a

import "strings"

// Join upper-cases and joins xs.
func Join(xs []string) string {
	s := ""
	for _, x := range xs {
		s += strings.ToUpper(x)
	}
	return s
}
