package lib

import "testing"

func BenchmarkDouble(b *testing.B) {
	x := 1
	for b.Loop() {
		x = Double(x) % 1000
	}
}
