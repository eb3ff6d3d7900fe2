// Command fanout fetches 12 pages from a slow loopback server (started in a
// child process, so this process is a pure client), each in its own
// goroutine, and joins the results through a channel.
//
// advisor demo: the I/O is already 12-way concurrent; the run takes about
// one server delay, not twelve. A correct tool reports class io with the
// fetches about 12 in flight, and does not recommend goroutines: what limits
// the run is the server's latency. -serial fetches the same pages one after
// another, to measure what the concurrency already bought.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/advisor-dev/advisor/testdata/internal/slowserver"
)

// fetch downloads url and returns the body length.
func fetch(client *http.Client, url string) (int, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return len(b), err
}

// result is one fetch's outcome, sent to the joining loop.
type result struct {
	size int
	err  error
}

func main() {
	slowserver.ServeIfChild()
	n := flag.Int("n", 12, "number of pages")
	delay := flag.Duration("delay", 900*time.Millisecond, "server-side delay per request")
	serial := flag.Bool("serial", false, "fetch one page at a time (for comparison)")
	flag.Parse()
	base, stop, err := slowserver.Start(*delay)
	if err != nil {
		log.Fatal(err)
	}
	defer stop()

	client := &http.Client{}
	total := 0
	if *serial {
		for i := 0; i < *n; i++ {
			size, err := fetch(client, fmt.Sprintf("%s/page/%d", base, i))
			if err != nil {
				log.Fatal(err)
			}
			total += size
		}
	} else {
		results := make(chan result)
		for i := 0; i < *n; i++ {
			go func() {
				size, err := fetch(client, fmt.Sprintf("%s/page/%d", base, i))
				results <- result{size, err}
			}()
		}
		for range *n {
			r := <-results
			if r.err != nil {
				log.Fatal(r.err)
			}
			total += r.size
		}
	}
	fmt.Printf("fetched %d pages, %d bytes\n", *n, total)
}
