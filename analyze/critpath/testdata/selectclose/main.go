// Command selectclose blocks main in a select on a signal channel that
// another goroutine closes after CPU work: the path is that work.
package main

import "time"

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

var sink int

func compute(done chan<- struct{}) {
	for range 5 {
		sink += fib(30)
	}
	close(done)
}

func main() {
	traced(func() {
		done := make(chan struct{})
		go compute(done)
		tick := time.NewTicker(time.Hour)
		defer tick.Stop()
		select {
		case <-done:
		case <-tick.C:
		}
	})
}
