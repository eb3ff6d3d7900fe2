package a

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
)

// Printing results in order.
func printAll(xs []int) {
	for _, x := range xs { // want `loop: ordered: the loop prints with fmt.Println in iteration order`
		fmt.Println(x * x)
	}
}

func fprintStderr(xs []string) {
	for _, x := range xs { // want `loop: ordered: the loop prints with fmt.Fprintf in iteration order`
		fmt.Fprintf(os.Stderr, "%s\n", x)
	}
}

// A shared writer.
func writeAll(w io.Writer, xs []string) {
	for _, x := range xs { // want `loop: ordered: the loop writes to the shared writer w in iteration order`
		fmt.Fprintln(w, x)
	}
}

// Appending to an outer slice.
func squares(xs []int) []int {
	var out []int
	for _, x := range xs { // want `loop: ordered: the loop appends to out in iteration order`
		out = append(out, x*x)
	}
	return out
}

// Sending on an outer channel.
func produce(xs []int, ch chan<- int) {
	for _, x := range xs { // want `loop: ordered: the loop sends on ch in iteration order`
		ch <- x * 2
	}
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		log.Fatalf("bad number %q: %v", s, err)
	}
	fmt.Println("parsed", n)
	return n
}

// A callee in the same package prints and log.Fatalf's.
func parseAll(ss []string) []int {
	out := make([]int, len(ss))
	for i, s := range ss { // want `loop: ordered: mustAtoi calls log.Fatalf on an error path: run concurrently, a different error would end the program`
		out[i] = mustAtoi(s)
	}
	return out
}

// Returning at the first error.
func atoiAll(ss []string) ([]int, error) {
	out := make([]int, len(ss))
	for i, s := range ss { // want `loop: ordered: the loop stops at the first error`
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// Distinct keys of a shared map.
func byIndex(n int) map[int]string {
	m := make(map[int]string)
	for i := 0; i < n; i++ { // want `loop: ordered: iterations write distinct keys of the shared map m`
		m[i] = strconv.Itoa(i)
	}
	return m
}

// The last value wins.
func last(xs []string) string {
	var l string
	for _, x := range xs { // want `loop: ordered: l keeps the value of the last iteration that sets it`
		l = x
	}
	return l
}

// log.Fatal(err) directly in the loop, on an error path.
func check(errs []error) {
	for _, err := range errs { // want `loop: ordered: the loop ends the program \(log.Fatal\) at the first error`
		if err != nil {
			log.Fatal(err)
		}
	}
}

// String concatenation in order.
func join(xs []string) string {
	s := ""
	for _, x := range xs { // want `loop: ordered: the loop appends to s in iteration order`
		s += x
	}
	return s
}

func report(x int) { fmt.Printf("%d\n", x) }

// A callee that prints.
func reportAll(xs []int) {
	for _, x := range xs { // want `loop: ordered: report prints to standard output \(fmt.Printf\) in iteration order`
		report(x)
	}
}

// Decoding each response into a local, appending in order.
func decodeEach(urls []string) ([]map[string]any, error) {
	var out []map[string]any
	for _, u := range urls { // want `loop: ordered: the loop stops at the first error`
		resp, err := http.Get(u)
		if err != nil {
			return nil, err
		}
		var v map[string]any
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// log.Fatalf in the loop on a condition that is not an error.
func positive(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs { // want `loop: ordered: the loop calls log.Fatalf: run concurrently, a different failure would end the program`
		if x < 0 {
			log.Fatalf("negative: %d", x)
		}
		out[i] = x
	}
	return out
}
