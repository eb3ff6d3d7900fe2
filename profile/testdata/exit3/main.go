// Command exit3 burns CPU and exits with status 3 through os.Exit.
package main

import (
	"fmt"
	"os"
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
	fmt.Println("exit3", burn(200*time.Millisecond) != 0)
	os.Exit(3)
}
