package ok

import (
	"fmt"
	"net/http"
	"strconv"
)

func cost(x int) int {
	s := 0
	for k := range x % 100 {
		s += k * x
	}
	return s
}

// rangeSlice ranges over a slice without an index.
func rangeSlice(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = cost(x) // want workers
	}
	return out
}

// rangeMap ranges over a map: its keys are collected first; the writes to
// the shared map stay in one goroutine.
func rangeMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = cost(v) // want workers
	}
	return out
}

// rangeInt ranges over an integer.
func rangeInt(n int, out []int) {
	for i := range n {
		out[i] = cost(i) // want workers
	}
}

// sumOf reduces with +: per-worker partial sums.
func sumOf(xs []int) int {
	total := 0
	for _, x := range xs {
		total += cost(x) // want workers
	}
	return total
}

// maxOf reduces with max.
func maxOf(xs []int) int {
	best := 0
	for _, x := range xs {
		v := cost(x) // want workers
		if v > best {
			best = v
		}
	}
	return best
}

// printAll prints in order: the calls run concurrently, the printing after.
func printAll(xs []int) {
	for _, x := range xs {
		fmt.Println(cost(x)) // want workers
	}
}

// appendAll appends in order.
func appendAll(xs []int) []string {
	var out []string
	for _, x := range xs {
		out = append(out, strconv.Itoa(cost(x))) // want workers
	}
	return out
}

// notACall starts with something else than a call.
func notACall(c *http.Client, base string, ids []int) []int {
	sizes := make([]int, len(ids))
	for i, id := range ids {
		url := base + "/" + strconv.Itoa(id)
		n, err := get(c, url) // want goroutines
		if err == nil {
			sizes[i] = n
		}
	}
	return sizes
}

// skips continues: in a goroutine, continue is return.
func skips(c *http.Client, urls []string) []int {
	sizes := make([]int, len(urls))
	for i, u := range urls {
		if u == "" {
			continue
		}
		n, _ := get(c, u) // want goroutines
		sizes[i] = n
	}
	return sizes
}

// skipsThenPrints continues before an ordered effect: the skipped
// iterations print nothing.
func skipsThenPrints(xs []int) {
	for _, x := range xs {
		if x < 0 {
			continue
		}
		v := cost(x) // want workers
		fmt.Println(x, v)
	}
}
