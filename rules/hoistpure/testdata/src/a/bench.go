package a

import (
	"strconv"
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

func keyedCase(labels map[string]string, id string) int {
	n := 0
	for k, v := range labels {
		switch k {
		case "i":
			x, _ := strconv.Atoi(id) // runs for one key only
			n += x
		}
		_ = v
	}
	return n
}
