// Command spinner is testdata/spinner with the fix advisor recommends:
// memoize the overlapping recursion. The spinner stays; it never cost
// anything.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
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

// spin draws a spinner until done is closed.
func spin(done <-chan struct{}) {
	const frames = `|/-\`
	for i := 0; ; i++ {
		select {
		case <-done:
			fmt.Fprint(os.Stderr, "\r \r")
			return
		default:
		}
		fmt.Fprintf(os.Stderr, "\r%c", frames[i%len(frames)])
		time.Sleep(10 * time.Millisecond)
	}
}

func main() {
	n := flag.Int("n", 39, "which Fibonacci number to compute")
	rounds := flag.Int("rounds", 2, "how many times")
	flag.Parse()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() { spin(done); close(stopped) }()
	sum := 0
	for i := 0; i < *rounds; i++ {
		sum += fib(*n, map[int]int{})
	}
	close(done)
	<-stopped
	fmt.Printf("fib(%d) = %d\n", *n, sum / *rounds)
}
