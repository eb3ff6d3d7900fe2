// Command pingpong bounces a value between two goroutines until the trace
// file it writes has reached $CRITPATH_SIZE bytes (default 8 MB): a large,
// event-dense trace for the benchmark. It prints how many round trips that
// took; $CRITPATH_ROUNDS runs exactly that many instead (to time the same
// work untraced).
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	limit, _ := strconv.ParseInt(os.Getenv("CRITPATH_SIZE"), 10, 64)
	if limit <= 0 {
		limit = 8 << 20
	}
	rounds, _ := strconv.Atoi(os.Getenv("CRITPATH_ROUNDS"))
	n := 0
	traced(func() {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v + 1
			}
			close(pong)
		}()
		for ; rounds <= 0 || n < rounds; n++ {
			ping <- n
			<-pong
			if rounds <= 0 && n%4096 == 0 {
				// The tracer flushes in the background; a little over is fine.
				if fi, err := os.Stat(os.Getenv("CRITPATH_TRACE")); err == nil && fi.Size() >= limit {
					n++
					break
				}
			}
		}
		close(ping)
	})
	fmt.Printf("rounds %d\n", n)
}
