// Package no holds near-misses: every marked line must not be rewritten.
package no

import (
	"bufio"
	"fmt"
	"log"
	"net/http"
	"os"
)

var calls int

func get(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	return int(resp.ContentLength), resp.Body.Close()
}

func pure(x int) int { return x * x }

func printed(x int) int {
	fmt.Println(x)
	return x
}

func breaks(c *http.Client, urls []string) int {
	total := 0
	for _, u := range urls {
		n, err := get(c, u) // applies since loopdep: the order is kept
		if err != nil {
			break
		}
		total += n
	}
	return total
}

func chained(c *http.Client, url string, n int) {
	for i := 0; i < n; i++ {
		next, err := get(c, url) // nomatch goroutines
		if err != nil {
			return
		}
		url = fmt.Sprint(next)
	}
}

func returnsOnSuccess(c *http.Client, urls []string) int {
	for i := 0; i < len(urls); i++ {
		n, err := get(c, urls[i]) // nomatch goroutines
		if err == nil && n > 10 {
			return n
		}
	}
	return 0
}

func printsInOrder(c *http.Client, urls []string) {
	for i := range urls {
		n, _ := get(c, urls[i]) // applies since loopdep: the order is kept
		fmt.Println(n)
	}
}

func writesGlobal(c *http.Client, urls []string) {
	for i := range urls {
		n, _ := get(c, urls[i]) // nomatch goroutines
		calls += n
	}
}

func funcValue(f func(string) (int, error), urls []string) int {
	total := 0
	for i := range urls {
		n, _ := f(urls[i]) // applies since loopdep: the order is kept
		total += n
	}
	return total
}

func argCalls(c *http.Client, urls []string) int {
	total := 0
	for i := range urls {
		n, _ := get(c, next(urls, i)) // nomatch goroutines
		total += n
	}
	return total
}

func next(urls []string, i int) string { calls++; return urls[i] }

func step2(c *http.Client, urls []string) int {
	total := 0
	for i := 0; i < len(urls); i += 2 {
		n, _ := get(c, urls[i]) // nomatch goroutines
		total += n
	}
	return total
}

func accumulates(xs []int) int {
	sum := 0
	for i := range xs {
		sum += pure(xs[i]) // applies since loopdep
	}
	return sum
}

func prefix(xs []int) []int {
	out := make([]int, len(xs))
	for i := 0; i < len(xs); i++ {
		out[i] = pure(xs[i]) // nomatch workers
		if i > 0 {
			out[i] += out[i-1]
		}
	}
	return out
}

func impure(xs []int) []int {
	out := make([]int, len(xs))
	for i := range xs {
		out[i] = printed(xs[i]) // nomatch workers
	}
	return out
}

func overMap(m map[int]int) map[int]int {
	out := map[int]int{}
	for k := range m {
		out[k] = pure(k) // applies since loopdep
	}
	return out
}

func earlyExit(xs []int) []int {
	out := make([]int, len(xs))
	for i := range xs {
		if xs[i] < 0 {
			break // nomatch workers
		}
		out[i] = pure(xs[i])
	}
	return out
}

func sharedRow(xs []int, row []int) [][]int {
	out := make([][]int, len(xs))
	for i := range xs {
		r := row
		r[0] = pure(xs[i]) // nomatch workers
		out[i] = r
	}
	return out
}

func writesFile(xs []int) {
	for i := range xs {
		fmt.Fprintln(os.Stdout, pure(xs[i])) // applies since loopdep
	}
}

func readsGlobal(x int) int { return x + calls }

func concatReads(words []string) string {
	s := ""
	for _, w := range words {
		s += w // nomatch builder
		if len(s) > 10 {
			break
		}
	}
	return s
}

func concatPrepend(words []string) string {
	s := ""
	for _, w := range words {
		s = w + s // nomatch builder
	}
	return s
}

func concatClosure(words []string) (string, func() string) {
	s := ""
	get := func() string { return s }
	for _, w := range words {
		s += w // nomatch builder
	}
	return s, get
}

func concatField(words []string) string {
	var t struct{ s string }
	for _, w := range words {
		t.s += w // nomatch builder
	}
	return t.s
}

func logsSuccess(c *http.Client, urls []string) {
	for _, u := range urls {
		n, err := get(c, u) // applies since loopdep: the order is kept
		if err == nil {
			log.Println(n)
		}
	}
}

func countedGet(c *http.Client, url string) (int, error) {
	calls++
	return get(c, url)
}

func writesGlobalInCallee(c *http.Client, urls []string) int {
	total := 0
	for i := range urls {
		n, _ := countedGet(c, urls[i]) // nomatch goroutines
		total += n
	}
	return total
}

func sharedReader(r *bufio.Reader, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		line, err := r.ReadString('\n') // nomatch goroutines
		if err != nil {
			return out
		}
		out = append(out, line)
	}
	return out
}

func fill(buf []byte, url string) (int, error) { return copy(buf, url), nil }

func sharedBuffer(urls []string, buf []byte) int {
	total := 0
	for i := range urls {
		n, _ := fill(buf, urls[i]) // nomatch goroutines
		total += n
	}
	return total
}
