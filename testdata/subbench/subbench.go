// Package subbench is a library whose benchmark is split into sub-benchmarks
// with b.Run, one per input size (advisor demo for --bench).
//
// The parent benchmark function only calls b.Run and waits: each
// sub-benchmark runs on its own goroutine. A correct tool follows the wait
// into the sub-benchmarks and reports class cpu with Partitions on top (not
// the parent's wait, not sync).
package subbench

// Partitions counts the ways to write n as a sum of positive integers of at
// most max, by plain recursion: exponential, overlapping work (memoizing it
// by (n, max) is the fix).
func Partitions(n, max int) int {
	if n == 0 {
		return 1
	}
	if n < 0 || max == 0 {
		return 0
	}
	return Partitions(n-max, max) + Partitions(n, max-1)
}
