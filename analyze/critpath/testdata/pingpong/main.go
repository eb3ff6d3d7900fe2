// Command pingpong bounces a value between two goroutines until the trace
// file it writes has reached $CRITPATH_SIZE bytes (default 8 MB): a large,
// event-dense trace for the benchmark.
package main

import (
	"os"
	"strconv"
)

func main() {
	limit, _ := strconv.ParseInt(os.Getenv("CRITPATH_SIZE"), 10, 64)
	if limit <= 0 {
		limit = 8 << 20
	}
	traced(func() {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v + 1
			}
			close(pong)
		}()
		for i := 0; ; i++ {
			ping <- i
			<-pong
			if i%4096 == 0 {
				// The tracer flushes in the background; a little over is fine.
				if fi, err := os.Stat(os.Getenv("CRITPATH_TRACE")); err == nil && fi.Size() >= limit {
					break
				}
			}
		}
		close(ping)
	})
}
