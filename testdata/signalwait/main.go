// Command signalwait compresses generated text with a greedy LZ77-style
// match search (hash chains, like compress/flate's) on main, while a second
// goroutine waits in select for Ctrl-C or for the work to finish: the usual
// graceful-shutdown shape of a CLI.
//
// advisor demo: the watcher is parked for the whole run and is never on the
// path the user waits for, so it must not halve the shares. The work is one
// call of one dependent loop (each step starts where the previous match
// ended and reads the hash chains the previous steps wrote), so there is no
// loop of independent iterations to spread over cores and nothing repeated
// to cache: the right first advice is pgo. (Splitting the input into blocks
// compressed in parallel would change the output, which is a design choice,
// not a mechanical fix.)
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
)

const (
	window   = 1 << 15 // how far back a match may start
	hashBits = 15
	minMatch = 4
	maxMatch = 258
	maxChain = 48 // candidates tried per position: the speed/ratio knob
)

// compress runs the match search over src and returns the number of tokens
// (literals plus matches) it would emit and a checksum of them, so the work
// cannot be optimized away.
func compress(src []byte) (tokens int, sum uint32) {
	head := make([]int32, 1<<hashBits)
	prev := make([]int32, window)
	for i := range head {
		head[i] = -1
	}
	hash := func(i int) uint32 {
		v := uint32(src[i]) | uint32(src[i+1])<<8 | uint32(src[i+2])<<16 | uint32(src[i+3])<<24
		return (v * 2654435761) >> (32 - hashBits)
	}
	insert := func(i int) {
		h := hash(i)
		prev[i%window] = head[h]
		head[h] = int32(i)
	}
	for i := 0; i+minMatch <= len(src); {
		best, dist := 0, 0
		for c, n := head[hash(i)], 0; c >= 0 && i-int(c) < window && n < maxChain; c, n = prev[int(c)%window], n+1 {
			l := 0
			for l < maxMatch && i+l < len(src) && src[int(c)+l] == src[i+l] {
				l++
			}
			if l > best {
				best, dist = l, i-int(c)
			}
		}
		tokens++
		if best < minMatch {
			sum = sum*31 + uint32(src[i])
			insert(i)
			i++
			continue
		}
		sum = sum*31 + uint32(best<<16|dist)
		for j := i; j < i+best && j+minMatch <= len(src); j++ {
			insert(j)
		}
		i += best
	}
	return tokens, sum
}

// text generates n bytes of word salad from a small vocabulary: compressible
// enough to find matches, varied enough to walk the chains.
func text(n int) []byte {
	words := []string{"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "runs",
		"far", "away", "from", "a", "big", "red", "barn", "while", "birds", "sing", "loudly", "at", "dawn"}
	b := make([]byte, 0, n+16)
	x := uint32(1)
	for len(b) < n {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, words[x%uint32(len(words))]...)
		b = append(b, ' ')
	}
	return b[:n]
}

func main() {
	size := flag.Int("size", 10<<20, "bytes to compress")
	flag.Parse()

	// The watcher: parked in select for the whole run.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			fmt.Fprintln(os.Stderr, "interrupted")
			os.Exit(130)
		case <-done:
		}
	}()

	src := text(*size)
	tokens, sum := compress(src)
	close(done)
	fmt.Printf("%d bytes -> %d tokens, checksum %08x\n", len(src), tokens, sum)
}
