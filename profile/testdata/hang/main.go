// Command hang burns CPU, says so on stdout, then never returns.
// With -ignore-int it ignores interrupts, so only a kill stops it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
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
	ignore := flag.Bool("ignore-int", false, "ignore interrupts")
	flag.Parse()
	if *ignore {
		signal.Ignore(os.Interrupt)
	}
	fmt.Println("hanging", burn(200*time.Millisecond) != 0)
	for {
		time.Sleep(time.Hour)
	}
}
