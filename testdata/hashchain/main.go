// Command hashchain hashes a chain: each step needs the previous hash, so
// its loop must not be parallelized (advisor declines workers here).
package main

import (
	"flag"
	"fmt"
)

// step is one link of the chain.
func step(h uint64) uint64 {
	for range 64 {
		h ^= h >> 33
		h *= 0xff51afd7ed558ccd
	}
	return h
}

func chain(n int) uint64 {
	h := uint64(1)
	for i := 0; i < n; i++ {
		h = step(h) // hot: the loop advisor points at
	}
	return h
}

func main() {
	n := flag.Int("n", 200000, "links")
	flag.Parse()
	fmt.Println(chain(*n))
}
