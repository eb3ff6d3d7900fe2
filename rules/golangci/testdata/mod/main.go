// Command gclmod is a fixture for the custom golangci-lint test: the same
// findings must come out of golangci-lint with the advisor plugin and out of
// advisor lint.
package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"example.com/gclmod/store"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// trib is known to be slow; the directive says why that is fine here.
//
//advisor:ignore overlaprecursion n is at most 10 in this program
func trib(n int) int {
	if n < 3 {
		return 1
	}
	return trib(n-1) + trib(n-2) + trib(n-3)
}

func matches(lines []string) int {
	n := 0
	for _, l := range lines {
		re := regexp.MustCompile(`^a+$`)
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

func upper(words []string) []string {
	out := []string{}
	for _, w := range words {
		out = append(out, strings.ToUpper(w))
	}
	return out
}

func join(words []string) string {
	s := ""
	for _, w := range words {
		s += w + ","
	}
	return s
}

func main() {
	//advisor:ignore overlaprecursion
	fmt.Println(fib(20), trib(10), matches(os.Args), upper(os.Args), join(os.Args))
	fmt.Println(store.Count(map[string]int{"a": 1}, os.Args), store.Common(os.Args, os.Args[1:]), genJoin(os.Args))
}
