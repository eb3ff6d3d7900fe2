// Command reduce sums a costly function over a slice: a reduction, which
// advisor parallelizes with a partial sum per worker.
package main

import (
	"flag"
	"fmt"
)

// weight is deliberately slow.
func weight(x int) int {
	s := 0
	for k := range 2000 {
		s += (x ^ k) % 7
	}
	return s
}

func total(xs []int) int {
	sum := 0
	for _, x := range xs {
		sum += weight(x) // hot
	}
	return sum
}

func main() {
	n := flag.Int("n", 20000, "items")
	flag.Parse()
	xs := make([]int, *n)
	for i := range xs {
		xs[i] = i * 7919
	}
	fmt.Println(total(xs))
}
