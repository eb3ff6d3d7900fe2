// Command fib is testdata/fib with the fix advisor recommends: memoize the
// overlapping recursion (used to check advisor's estimate against reality).
package main

import (
	"flag"
	"fmt"
)

// fib memoizes results in memo, turning the exponential recursion linear.
func fib(n int, memo map[int]int) int {
	if n < 2 {
		return n
	}
	if v, ok := memo[n]; ok {
		return v
	}
	v := fib(n-1, memo) + fib(n-2, memo)
	memo[n] = v
	return v
}

func main() {
	n := flag.Int("n", 39, "which Fibonacci number to compute")
	rounds := flag.Int("rounds", 3, "how many times")
	flag.Parse()
	sum := 0
	for i := 0; i < *rounds; i++ {
		sum += fib(*n, map[int]int{})
	}
	fmt.Printf("fib(%d) = %d\n", *n, sum / *rounds)
}
