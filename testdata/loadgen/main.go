// Command loadgen is a small load generator in the shape of hey or ab: 50
// worker goroutines, each sending its share of the requests one after
// another to a slow loopback server (started in a child process, so this
// process is a pure client).
//
// advisor demo: each worker is sequential, but 50 of them run at once, so
// the I/O is already about 50-way concurrent. A correct tool reports class
// io with about 50 requests in flight and does not recommend goroutines:
// the run is limited by the server's latency and by the -c flag (the
// concurrency the user asked for). -c 1 runs the same loop with one worker.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/advisor-dev/advisor/testdata/internal/slowserver"
)

// request sends one GET and drains the body so the connection is reused.
func request(client *http.Client, url string) (int, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return len(b), err
}

// worker sends n requests, one at a time, as each of hey's workers does.
func worker(client *http.Client, base string, id, n int) (bytes int, err error) {
	for i := 0; i < n; i++ {
		size, err := request(client, fmt.Sprintf("%s/w%d/%d", base, id, i))
		if err != nil {
			return bytes, err
		}
		bytes += size
	}
	return bytes, nil
}

func main() {
	slowserver.ServeIfChild()
	c := flag.Int("c", 50, "concurrent workers")
	n := flag.Int("n", 1000, "total requests")
	delay := flag.Duration("delay", 40*time.Millisecond, "server-side delay per request")
	flag.Parse()
	base, stop, err := slowserver.Start(*delay)
	if err != nil {
		log.Fatal(err)
	}
	defer stop()

	// One idle connection per worker, as hey configures its transport;
	// the default (2 per host) would reconnect on almost every request.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	start := time.Now()
	for id := 0; id < *c; id++ {
		wg.Go(func() {
			b, err := worker(client, base, id, *n / *c)
			if err != nil {
				log.Fatal(err)
			}
			mu.Lock()
			total += b
			mu.Unlock()
		})
	}
	wg.Wait()
	el := time.Since(start)
	fmt.Printf("%d requests by %d workers in %v (%.0f req/s), %d bytes\n", *n / *c * *c, *c, el.Round(time.Millisecond), float64(*n / *c * *c)/el.Seconds(), total)
}
