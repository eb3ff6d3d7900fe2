// Command pingpong passes a token back and forth between two goroutines over
// unbuffered channels: the worst case for execution-trace overhead (advisor
// demo for measuring the tracer's cost; class sync/channel).
package main

import (
	"flag"
	"fmt"
)

func main() {
	n := flag.Int("n", 1000000, "round trips")
	flag.Parse()
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < *n; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	fmt.Println("round trips:", v)
}
