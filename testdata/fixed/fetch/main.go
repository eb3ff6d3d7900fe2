// Command fetch is testdata/fetch with the fix advisor recommends: pages are
// downloaded by at most 8 goroutines at once (errgroup with SetLimit).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/advisor-dev/advisor/testdata/internal/slowserver"
	"golang.org/x/sync/errgroup"
)

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
	sizes := make([]int, *n)
	var g errgroup.Group
	g.SetLimit(8)
	for i := 0; i < *n; i++ {
		g.Go(func() error {
			size, err := fetch(client, fmt.Sprintf("%s/page/%d", base, i))
			sizes[i] = size
			return err
		})
	}
	if err := g.Wait(); err != nil {
		log.Fatal(err)
	}
	total := 0
	for _, s := range sizes {
		total += s
	}
	fmt.Printf("fetched %d pages, %d bytes\n", *n, total)
}
