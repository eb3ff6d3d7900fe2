// Command pipeline processes chunks in parallel but writes their results in
// order, the shape of gofmt -l over many files: one goroutine per chunk
// computes its result (CPU), then waits for its predecessor's done channel
// before it writes, and closes its own done channel when it has written.
//
// advisor demo: the run is CPU-bound and already uses every core; the
// goroutines waiting on their predecessors wait for computation, not for
// I/O, even though the one they wait on was last seen writing. A correct
// tool reports class cpu, main.digest on top, and recommends neither
// goroutines nor workers (both already there). -serial computes the chunks
// one after another on main, to measure what the parallelism bought.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

// digest is the per-chunk work: a hand-written FNV-style mixing loop over a
// generated chunk, repeated rounds times. Each step depends on the previous
// one, so it cannot be split further; chunks are independent of each other.
func digest(chunk, size, rounds int) uint64 {
	h := uint64(14695981039346656037) ^ uint64(chunk)
	for r := 0; r < rounds; r++ {
		x := uint32(chunk*7919 + r + 1)
		for i := 0; i < size; i++ {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			h = (h ^ uint64(x&0xff)) * 1099511628211
		}
	}
	return h
}

func main() {
	chunks := flag.Int("chunks", 64, "chunks (files)")
	size := flag.Int("size", 1<<16, "bytes per chunk")
	rounds := flag.Int("rounds", 150, "passes over each chunk")
	serial := flag.Bool("serial", false, "compute the chunks one after another on main")
	flag.Parse()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()

	if *serial {
		for c := 0; c < *chunks; c++ {
			fmt.Fprintf(out, "chunk %3d: %016x\n", c, digest(c, *size, *rounds))
		}
		return
	}
	// prev is the done channel of the chunk before: closed once that
	// chunk's line is written, so lines come out in chunk order.
	prev := make(chan struct{})
	close(prev)
	for c := 0; c < *chunks; c++ {
		done := make(chan struct{})
		go func(wait <-chan struct{}) {
			sum := digest(c, *size, *rounds)
			<-wait
			fmt.Fprintf(out, "chunk %3d: %016x\n", c, sum)
			close(done)
		}(prev)
		prev = done
	}
	<-prev
}
