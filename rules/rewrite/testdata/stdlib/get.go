// Package stdlib is a module that does not require golang.org/x/sync: the
// goroutines template uses the standard library alone.
package stdlib

import (
	"log"
	"net/http"
)

func get(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	return int(resp.ContentLength), resp.Body.Close()
}

func sum(c *http.Client, urls []string) int {
	total := 0
	for _, u := range urls {
		n, err := get(c, u) // want goroutines
		if err != nil {
			log.Fatal(err)
		}
		total += n
	}
	return total
}

func skips(c *http.Client, urls []string) []int {
	sizes := make([]int, len(urls))
	for i, u := range urls {
		if u == "" {
			continue
		}
		sizes[i], _ = get(c, u) // want goroutines
	}
	return sizes
}
