package a

import (
	"strings"
	"testing"
)

func BenchmarkLower(b *testing.B, s string) {
	for i := 0; i < b.N; i++ {
		_ = strings.ToLower(s) // measuring the call itself
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = strings.ToLower(s)
		}
	})
}
