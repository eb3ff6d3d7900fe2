package a

import "testing"

func repeats(any) {}

func BenchmarkX(b *testing.B, xs []int, n int) {
	for i := 0; i < b.N; i++ {
		repeats(i) // want "repeats"
	}
	for range b.N {
		repeats(0) // want "repeats"
	}
	for b.Loop() {
		repeats(0) // want "repeats"
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			repeats(0) // want "repeats"
		}
	})
	for i := 0; i < n; i++ {
		repeats(0) // want "repeats"
	}
	for range n {
		repeats(0) // want "repeats"
	}
	for i := 0; i < n; i++ {
		repeats(xs[i])
	}
	for i := range n {
		repeats(i)
	}
	for i := 0; i < n; i++ {
		repeats(0) // want "repeats"
		b.Logf("iteration %d", i)
	}
	for _, x := range xs {
		repeats(x)
	}
	for n > 0 {
		repeats(0)
		n--
	}
}

func oncePer() {}

func keyed(m map[string]int, xs []string) {
	for k := range m {
		if k == "i" {
			oncePer() // want "once per loop"
		}
		switch k {
		case "a", "b":
			oncePer() // want "once per loop"
		case xs[0]:
			oncePer()
		default:
			oncePer()
		}
		if k != "i" {
			oncePer()
		}
	}
	for _, k := range xs {
		if k == "i" {
			oncePer() // a slice may repeat keys
		}
	}
	for k := range m {
		k = "i"
		if k == "i" {
			oncePer() // the key is reassigned
		}
	}
}
