package hot

import (
	"strings"
	"testing"
	"time"
)

func TestHot(t *testing.T) {
	words := strings.Fields(strings.Repeat("lorem ipsum dolor sit amet ", 400))
	n := 0
	for start := time.Now(); time.Since(start) < 1500*time.Millisecond; {
		n += len(Hot(words))
	}
	if n == 0 || Cold(words[:3]) != "loremipsumdolor" {
		t.Fatal("wrong")
	}
}

// BenchmarkHot keeps Hot busy; Cold runs once per benchmark run.
func BenchmarkHot(b *testing.B) {
	words := strings.Fields(strings.Repeat("lorem ipsum dolor sit amet ", 400))
	for b.Loop() {
		Hot(words)
	}
	if Cold(words[:3]) != "loremipsumdolor" {
		b.Fatal("wrong")
	}
}
