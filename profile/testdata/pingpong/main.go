// Command pingpong passes a token between two goroutines over unbuffered
// channels: the worst case for the execution tracer's overhead.
package main

import (
	"flag"
	"fmt"
)

func main() {
	n := flag.Int("n", 200000, "round trips")
	flag.Parse()
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for range *n {
		ping <- v
		v = <-pong
	}
	close(ping)
	fmt.Println("pingpong", v)
}
