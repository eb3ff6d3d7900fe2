package lib

import "testing"

func TestSum(t *testing.T) {
	if got := Sum(4); got != 6 {
		t.Fatalf("Sum(4) = %d, want 6", got)
	}
}

func BenchmarkSum(b *testing.B) {
	for b.Loop() {
		Sum(1000)
	}
}
