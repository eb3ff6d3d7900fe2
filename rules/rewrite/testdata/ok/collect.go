package ok

import (
	"fmt"
	"net/http"
)

// collect appends in order and returns the first error.
func collect(c *http.Client, urls []string) ([]int, error) {
	var out []int
	for i, u := range urls {
		size, err := get(c, u) // want goroutines
		if err != nil {
			return nil, fmt.Errorf("url %d: %w", i, err)
		}
		out = append(out, size)
	}
	return out, nil
}
