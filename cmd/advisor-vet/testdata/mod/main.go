// Command vetmod is a fixture for advisor-vet's test.
package main

import (
	"fmt"
	"os"
	"regexp"
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

func main() {
	//advisor:ignore overlaprecursion
	fmt.Println(fib(20), trib(10), matches(os.Args))
}
