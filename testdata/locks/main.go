// Command locks has many goroutines update a shared table under one mutex,
// doing their work while holding it: most goroutines spend their time waiting
// for the lock (advisor demo: class sync/lock).
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"sync"
)

// table is a counter map guarded by a single mutex.
type table struct {
	mu     sync.Mutex
	counts map[uint64]int
}

// add hashes key while holding the lock, which serializes all workers.
func (t *table) add(key []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := fnv.New64a()
	for i := 0; i < 200; i++ {
		h.Write(key)
	}
	t.counts[h.Sum64()%1024]++
}

func main() {
	workers := flag.Int("workers", 8, "goroutines")
	ops := flag.Int("ops", 20000, "operations per goroutine")
	flag.Parse()
	t := &table{counts: map[uint64]int{}}
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			key := []byte(fmt.Sprintf("worker-%d-key-with-some-length", w))
			for i := 0; i < *ops; i++ {
				t.add(key)
			}
		}(w)
	}
	wg.Wait()
	fmt.Printf("%d buckets used\n", len(t.counts))
}
