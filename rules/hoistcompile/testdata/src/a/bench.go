package a

import (
	"regexp"
	"testing"
)

func BenchmarkCompile(b *testing.B, n int) {
	for i := 0; i < b.N; i++ {
		_ = regexp.MustCompile(`x+`) // measuring the compile itself
	}
	for b.Loop() {
		_ = regexp.MustCompile(`x+`)
	}
	for i := 0; i < n; i++ {
		_ = regexp.MustCompile(`x+`) // repeats n times on purpose
	}
}
