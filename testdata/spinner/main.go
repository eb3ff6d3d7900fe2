// Command spinner computes Fibonacci numbers the naive way on main while a
// second goroutine draws a progress spinner on stderr, waking every 10 ms.
// advisor demo: the spinner only sleeps, so it is never on the path the user
// waits for; a correct tool reports class cpu, main.fib on top, cache first,
// and estimates the memoizing fix from fib's share of the wall time (all of
// it), not from half of the summed goroutine time.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

// fib is the overlapping recursion that memoizing makes linear.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// spin draws a spinner until done is closed. It is the shape of every CLI
// progress indicator: a sleep loop that costs nothing and finishes nothing.
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
		sum += fib(*n)
	}
	close(done)
	<-stopped
	fmt.Printf("fib(%d) = %d\n", *n, sum / *rounds)
}
