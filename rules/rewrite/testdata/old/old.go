// Package old is a module for Go 1.21: loop variables are shared by the
// iterations, so the rewrites copy them into the closures, and count
// without range over integers.
package old

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

func square(x int) int { return x * x }

func sumSquares(xs []int) int {
	total := 0
	for i := 0; i < len(xs); i++ {
		total += square(xs[i]) // want workers
	}
	return total
}
