package subbench

import (
	"fmt"
	"testing"
)

func TestPartitions(t *testing.T) {
	// p(n) for n = 0..10 (OEIS A000041).
	for n, want := range []int{1, 1, 2, 3, 5, 7, 11, 15, 22, 30, 42} {
		if got := Partitions(n, n); got != want {
			t.Errorf("Partitions(%d, %d) = %d, want %d", n, n, got, want)
		}
	}
}

// BenchmarkPartitions runs one sub-benchmark per size: the parent goroutine
// spends the whole benchmark blocked in b.Run.
func BenchmarkPartitions(b *testing.B) {
	for _, n := range []int{40, 50, 60} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				Partitions(n, n)
			}
		})
	}
}
