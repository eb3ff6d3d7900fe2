// Command ordered prints a costly result per item, in order: advisor
// computes the results concurrently and prints them afterwards in the
// original order.
package main

import (
	"flag"
	"fmt"
)

// digest is deliberately slow.
func digest(x int) uint32 {
	h := uint32(x)
	for range 20000 {
		h = h*16777619 ^ uint32(x)
	}
	return h
}

func main() {
	n := flag.Int("n", 2000, "items")
	flag.Parse()
	for i := range *n {
		fmt.Println(i, digest(i)) // hot
	}
}
