// Command chansleep receives on main from a goroutine that sleeps, then
// sends: the path goes through the sender's sleep.
package main

import "time"

func sender(c chan<- int) {
	for i := range 3 {
		time.Sleep(60 * time.Millisecond)
		c <- i
	}
	close(c)
}

func main() {
	traced(func() {
		c := make(chan int)
		go sender(c)
		for range c {
		}
	})
}
