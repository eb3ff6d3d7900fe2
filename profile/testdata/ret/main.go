// Command ret burns CPU, exchanges a few channel messages and returns from main.
package main

import (
	"fmt"
	"time"
)

func burn(d time.Duration) int {
	x := 0
	for start := time.Now(); time.Since(start) < d; {
		for i := range 1000 {
			x += i * i
		}
	}
	return x
}

func main() {
	ch := make(chan int)
	go func() {
		for i := range 100 {
			ch <- i
		}
		close(ch)
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
	fmt.Println("ret ok", sum, burn(300*time.Millisecond) != 0)
}
