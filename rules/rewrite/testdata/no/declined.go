package no

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

func mix(h uint64) uint64 { return h*1099511628211 ^ 0x9e37 }

func hashChain(n int) uint64 {
	var h uint64
	for i := 0; i < n; i++ {
		h = mix(h) // nomatch workers: each iteration uses h from the previous one
	}
	return h
}

func earlyReturn(xs []int, want int) int {
	for i, x := range xs {
		if pure(x) == want { // nomatch workers: returns at the first result
			return i
		}
	}
	return -1
}

func sharedMap(words []string) map[string]int {
	counts := map[string]int{}
	for _, w := range words {
		counts[w] += pure(len(w)) // nomatch workers: iterations write the shared map counts
	}
	return counts
}

func scan(r io.Reader) []string {
	var out []string
	s := bufio.NewScanner(r)
	for s.Scan() {
		out = append(out, s.Text()) // nomatch workers: Scanner.Scan is a stateful iterator
	}
	return out
}

// exitsFirst copies loop variables, then every call comes after an exit
// path (jsonnetfmt's loop over files): a goroutine per item would only
// copy them.
func exitsFirst(names []string, inPlace bool) {
	for _, name := range names {
		out := name // nomatch goroutines: there is no work to do concurrently
		if inPlace && name == "-" {
			fmt.Println("cannot use --in-place with stdin")
			os.Exit(1)
		}
		fmt.Println(out, len(name))
	}
}
