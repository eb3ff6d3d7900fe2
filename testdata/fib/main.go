// Command fib computes Fibonacci numbers the naive way: a CPU-bound,
// overlapping recursion (advisor demo: expect class cpu, advice cache).
package main

import (
	"flag"
	"fmt"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	n := flag.Int("n", 39, "which Fibonacci number to compute")
	rounds := flag.Int("rounds", 3, "how many times")
	flag.Parse()
	sum := 0
	for i := 0; i < *rounds; i++ {
		sum += fib(*n)
	}
	fmt.Printf("fib(%d) = %d\n", *n, sum / *rounds)
}
