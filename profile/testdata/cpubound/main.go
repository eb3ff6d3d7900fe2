// Command cpubound computes Fibonacci numbers recursively: pure CPU work,
// the best case for the profiler's overhead.
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
	n := flag.Int("n", 35, "which Fibonacci number")
	flag.Parse()
	fmt.Println("cpubound", fib(*n))
}
