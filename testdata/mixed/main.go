// Command mixed has two hot paths of different kinds: it fetches records one
// after another from a slow loopback server (network waits), then scores them
// with a naive recursive function (CPU). advisor demo: the network path first,
// then the CPU path.
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
)

// download fetches one record.
func download(client *http.Client, url string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// score is deliberately naive: an overlapping recursion.
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

	var records []string
	for i := 0; i < *n; i++ {
		rec, err := download(client, base+"/record?id="+strconv.Itoa(i))
		if err != nil {
			log.Fatal(err)
		}
		records = append(records, rec)
	}
	total := 0
	for range 2 {
		total += score(*depth)
	}
	fmt.Printf("%d records, score %d\n", len(records), total)
}
