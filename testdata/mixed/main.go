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
	"net/http/httptest"
	"strconv"
	"time"
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
	n := flag.Int("n", 15, "records")
	delay := flag.Duration("delay", 40*time.Millisecond, "server-side delay per record")
	depth := flag.Int("depth", 39, "scoring depth")
	flag.Parse()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*delay)
		fmt.Fprint(w, r.URL.Query().Get("id"))
	}))
	defer srv.Close()
	client := srv.Client()

	var records []string
	for i := 0; i < *n; i++ {
		rec, err := download(client, srv.URL+"/record?id="+strconv.Itoa(i))
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
