// Command mixed is testdata/mixed with one of the two fixes advisor
// recommends: a memoized score (cache). The downloads stay sequential, so
// the cache estimate can be checked on its own (docs/measure/estimates.go).
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

// score memoizes results in memo, turning the exponential recursion linear.
func score(n int, memo map[int]int) int {
	if n < 2 {
		return n
	}
	if v, ok := memo[n]; ok {
		return v
	}
	v := score(n-1, memo) + score(n-2, memo)
	memo[n] = v
	return v
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
		total += score(*depth, map[int]int{})
	}
	fmt.Printf("%d records, score %d\n", len(records), total)
}
