// Command fetch downloads pages one after another from a loopback HTTP
// server it starts itself in a child process; the server takes a while to answer each request
// (advisor demo: class io/network, advice goroutines).
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

func main() {
	slowserver.ServeIfChild()
	n := flag.Int("n", 40, "number of pages")
	delay := flag.Duration("delay", 30*time.Millisecond, "server-side delay per request")
	flag.Parse()
	base, stop, err := slowserver.Start(*delay)
	if err != nil {
		log.Fatal(err)
	}
	defer stop()

	client := &http.Client{}
	total := 0
	for i := 0; i < *n; i++ {
		size, err := fetch(client, fmt.Sprintf("%s/page/%d", base, i))
		if err != nil {
			log.Fatal(err)
		}
		total += size
	}
	fmt.Printf("fetched %d pages, %d bytes\n", *n, total)
}
