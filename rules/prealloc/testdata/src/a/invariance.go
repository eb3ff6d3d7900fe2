package a

// These cases pin the invariance of a for loop's bound that prealloc needs
// (loopinv.ByName): the appends and calls in the body are effects, but a
// bound read through a pointer or a package variable still repeats while
// the loop writes nothing through that name.

type batch struct {
	n     int
	items []int
}

func (b *batch) shrink() { b.n-- }

var limit = 64

func fieldBound(b *batch) []int {
	out := []int{}
	for i := 0; i < b.n; i++ {
		out = append(out, i) // want `make\(\[\]int, 0, b.n\)`
	}
	return out
}

func lenFieldBound(b *batch, f func(int) int) []int {
	out := []int{}
	for i := 0; i < len(b.items); i++ {
		out = append(out, f(b.items[i])) // want `make\(\[\]int, 0, len\(b.items\)\)`
	}
	return out
}

func globalBound() []int {
	out := []int{}
	for i := 0; i < limit; i++ {
		out = append(out, i) // want `make\(\[\]int, 0, limit\)`
	}
	return out
}

// Near-misses: the body changes the bound through its name.

func fieldBoundWritten(b *batch) []int {
	out := []int{}
	for i := 0; i < b.n; i++ {
		out = append(out, i)
		b.n--
	}
	return out
}

func fieldBoundMethod(b *batch) []int {
	out := []int{}
	for i := 0; i < b.n; i++ {
		out = append(out, i)
		b.shrink()
	}
	return out
}

func globalBoundWritten() []int {
	out := []int{}
	for i := 0; i < limit; i++ {
		out = append(out, i)
		limit--
	}
	return out
}
