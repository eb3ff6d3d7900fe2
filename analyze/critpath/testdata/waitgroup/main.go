// Command waitgroup waits on a WaitGroup for four workers of different
// lengths: the path goes through the longest one.
package main

import "sync"

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

var sinks [4]int

func worker(i, rounds int, wg *sync.WaitGroup) {
	defer wg.Done()
	for range rounds {
		sinks[i] += fib(27)
	}
}

func main() {
	traced(func() {
		var wg sync.WaitGroup
		for i, rounds := range []int{2, 4, 8, 24} {
			wg.Add(1)
			go worker(i, rounds, &wg)
		}
		wg.Wait()
	})
}
