// Command mixed is testdata/mixed with one of the two fixes advisor
// recommends: bounded concurrent downloads (goroutines). The score stays
// naive, so the goroutines estimate can be checked on its own
// (docs/measure/estimates.go).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/advisor-dev/advisor/testdata/internal/slowserver"
	"golang.org/x/sync/errgroup"
)

func download(client *http.Client, url string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// score is deliberately naive, as in testdata/mixed.
func score(n int) int {
	if n < 2 {
		return n
	}
	return score(n-1) + score(n-2)
}

func main() {
	slowserver.ServeIfChild()
	n := flag.Int("n", 20, "records")
	delay := flag.Duration("delay", 40*time.Millisecond, "server-side delay per record")
	depth := flag.Int("depth", 38, "scoring depth")
	flag.Parse()
	base, stop, err := slowserver.Start(*delay)
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	client := &http.Client{}

	records := make([]string, *n)
	var g errgroup.Group
	g.SetLimit(8)
	for i := 0; i < *n; i++ {
		g.Go(func() error {
			rec, err := download(client, base+"/record?id="+strconv.Itoa(i))
			records[i] = rec
			return err
		})
	}
	if err := g.Wait(); err != nil {
		log.Fatal(err)
	}
	total := 0
	for range 2 {
		total += score(*depth)
	}
	fmt.Printf("%d records, score %d\n", len(records), total)
}
