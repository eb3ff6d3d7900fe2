package fix

import (
	"regexp"
	"strings"
)

func fixed(lines []string) int {
	n := 0
	for _, line := range lines {
		digits := regexp.MustCompile(`^\d+$`) // want `regexp.MustCompile`
		if digits.MatchString(line) {
			n++
		}
	}
outer:
	for _, line := range lines {
		r := strings.NewReplacer("a", "b", "c", "d") // want `strings.NewReplacer`
		if r.Replace(line) == "" {
			break outer
		}
	}
	return n
}

func unfixed(lines []string, p string) {
	re := 0
	for _, line := range lines {
		re := regexp.MustCompile(`x`) // want `regexp.MustCompile`
		_ = re.MatchString(line)
	}
	_ = re
	for _, line := range lines {
		bad := regexp.MustCompile(p) // want `regexp.MustCompile`
		_ = bad.MatchString(line)
	}
	for _, line := range lines {
		if line != "" {
			nested := regexp.MustCompile(`y`) // want `regexp.MustCompile`
			_ = nested
		}
	}
	for range lines {
		again := regexp.MustCompile(`z`) // want `regexp.MustCompile`
		again = nil
		_ = again
	}
}
