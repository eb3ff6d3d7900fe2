// Command panics burns CPU long enough for some trace generations to
// complete, then panics.
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
	fmt.Println("panics", burn(700*time.Millisecond) != 0)
	panic("boom")
}
