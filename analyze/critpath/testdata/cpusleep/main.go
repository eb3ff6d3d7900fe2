// Command cpusleep computes on main beside a goroutine that sleeps in a
// loop: the sleeper is background, the path is main's CPU work.
package main

import "time"

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func sleeper(stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		time.Sleep(time.Millisecond)
	}
}

var sink int

func main() {
	traced(func() {
		stop := make(chan struct{})
		go sleeper(stop)
		for range 6 {
			sink += fib(30)
		}
		close(stop)
	})
}
