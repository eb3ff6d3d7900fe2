// Command parallel already spreads its CPU work over every core with a worker
// pool: more goroutines cannot help (advisor demo: class cpu, cores busy,
// advice processes/reduce work, never goroutines or workers).
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"runtime"
	"sync"
)

// digest hashes seed repeatedly.
func digest(seed int, rounds int) [32]byte {
	sum := sha256.Sum256([]byte(fmt.Sprint(seed)))
	for i := 0; i < rounds; i++ {
		sum = sha256.Sum256(sum[:])
	}
	return sum
}

func main() {
	jobs := flag.Int("jobs", 256, "independent jobs")
	rounds := flag.Int("rounds", 100000, "hash rounds per job")
	flag.Parse()
	work := make(chan int)
	results := make([][32]byte, *jobs)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				results[j] = digest(j, *rounds)
			}
		}()
	}
	for j := 0; j < *jobs; j++ {
		work <- j
	}
	close(work)
	wg.Wait()
	fmt.Printf("%d digests, first %x\n", len(results), results[0][:4])
}
