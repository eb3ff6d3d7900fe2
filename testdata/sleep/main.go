// Command sleep polls for a condition by sleeping between checks: it is idle
// most of the time (advisor demo: class sleep).
package main

import (
	"flag"
	"fmt"
	"time"
)

// waitUntil polls ready every interval until it returns true or tries run out.
func waitUntil(ready func(int) bool, interval time.Duration, tries int) int {
	for i := 0; i < tries; i++ {
		if ready(i) {
			return i
		}
		time.Sleep(interval)
	}
	return tries
}

func main() {
	tries := flag.Int("tries", 60, "polls")
	interval := flag.Duration("interval", 15*time.Millisecond, "sleep between polls")
	flag.Parse()
	got := waitUntil(func(i int) bool { return i == *tries-1 }, *interval, *tries)
	fmt.Printf("ready after %d polls\n", got)
}
