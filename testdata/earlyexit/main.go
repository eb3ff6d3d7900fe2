// Command earlyexit searches for the first item that matches and stops
// there: its loop leaves early, so advisor declines to parallelize it.
package main

import (
	"flag"
	"fmt"
)

func score(x int) int {
	s := x
	for range 3000 {
		s = (s*31 + 7) % 1000003
	}
	return s
}

func find(n, want int) int {
	for i := range n {
		if score(i) == want { // hot
			return i
		}
	}
	return -1
}

func main() {
	n := flag.Int("n", 5000, "items")
	flag.Parse()
	fmt.Println(find(*n, -1))
}
