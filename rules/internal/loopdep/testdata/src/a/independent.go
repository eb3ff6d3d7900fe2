package a

import (
	"io"
	"net/http"
	"strings"
	"sync"
)

func square(x int) int { return x * x }

// Writes to out[i]: no want.
func squareAll(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = square(x)
	}
	return out
}

// Locals declared inside the body and a continue.
func upperNonEmpty(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		t := strings.TrimSpace(x)
		if t == "" {
			continue
		}
		var b strings.Builder
		b.WriteString(strings.ToUpper(t))
		out[i] = b.String()
	}
	return out
}

// Read-only use of an outer map and slice.
func lookupAll(keys []string, table map[string]int, weights []int) []int {
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = table[k] * weights[i%len(weights)]
	}
	return out
}

func score(m map[string]int, k string) int { return m[k] + len(k) }

// A pure helper given an outer map.
func scores(keys []string, m map[string]int) []int {
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = score(m, k)
	}
	return out
}

// http.Get per item into out[i].
func fetchAll(urls []string) [][]byte {
	out := make([][]byte, len(urls))
	for i, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out[i] = b
	}
	return out
}

// Range over an integer.
func table(n int) []int {
	out := make([]int, n)
	for i := range n {
		out[i] = i * i
	}
	return out
}

// A counting for clause with a nested row.
func zero(grid [][]int) {
	for i := 0; i < len(grid); i++ {
		row := grid[i]
		for j := range row {
			row[j] = 0
		}
	}
}

// Range over a map, writing by key.
func invert(m map[string]int) map[int]string {
	out := make(map[int]string, len(m))
	for k, v := range m { // want `loop: dependent: iterations write the shared map out`
		out[v] = k
	}
	return out
}

// Goroutine per item: already concurrent.
func fetchConcurrently(urls []string) []int {
	codes := make([]int, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls { // want `loop: already concurrent: the loop already starts a goroutine per item`
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := http.Get(u); err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	return codes
}

// A loop inside a goroutine's closure already runs concurrently with the
// rest of the program.
func inGoroutine(xs []int, done chan<- []int) {
	go func() {
		out := make([]int, len(xs))
		for i, x := range xs { // want `loop: already concurrent: the loop already runs in a goroutine`
			out[i] = x + 1
		}
		done <- out
	}()
}

// A loop in a closure that is called, not started as a goroutine.
func inClosure(xs []int) []int {
	out := make([]int, len(xs))
	f := func() {
		for i, x := range xs {
			out[i] = x + 1
		}
	}
	f()
	return out
}

// A closure called in the body writing out[i].
func closure(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		set := func(v int) { out[i] = v }
		set(x * 2)
	}
	return out
}

// A temporary declared outside but overwritten first in each iteration
// is a last value, not carried; out[i] is fine.
func tmp(xs []int) []int {
	out := make([]int, len(xs))
	for i := range xs {
		y := xs[i] * 2
		out[i] = y
	}
	return out
}

// In place at the same index.
func double(xs []int) {
	for i := range xs {
		xs[i] = xs[i] * 2
	}
}

// A closure declared before the loop that only computes.
func viaPureClosure(xs []int) []int {
	scale := func(v int) int {
		t := v * 3
		return t + 1
	}
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = scale(x)
	}
	return out
}
