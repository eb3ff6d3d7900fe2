// Package ok holds loops the templates rewrite; each file has one marked line.
package ok

import (
	"io"
	"net/http"
)

func get(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return len(b), err
}

func square(x float64) float64 { return x * x }
