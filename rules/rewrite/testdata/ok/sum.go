package ok

import (
	"fmt"
	"log"
	"net/http"
)

// sum accumulates into a local after each call.
func sum(c *http.Client, base string, n int) int {
	total := 0
	for i := 0; i < n; i++ {
		size, err := get(c, fmt.Sprintf("%s/%d", base, i)) // want goroutines
		if err != nil {
			log.Fatal(err) // only on failure
		}
		total += size
	}
	return total
}
