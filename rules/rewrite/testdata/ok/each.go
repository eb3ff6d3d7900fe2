package ok

import (
	"log"
	"net/http"
)

// each ranges without an index; the template adds one.
func each(c *http.Client, urls []string) []int {
	var sizes []int
	for _, u := range urls {
		n, err := get(c, u) // want goroutines
		if err != nil {
			log.Printf("%s: %v", u, err)
			continue
		}
		sizes = append(sizes, n)
	}
	return sizes
}
