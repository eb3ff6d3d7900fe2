package a

import "strings"

// The plain shape: a nil start gets no fix (an all-empty input would give
// a non-nil empty slice after make).
func spread(xss [][]int) []int {
	var out []int
	for _, xs := range xss {
		out = append(out, xs...) // want `out grows by append of len\(xs\) elements per iteration of a loop over xss; add up the lengths first and preallocate it \(n := 0; for _, xs := range xss \{ n \+= len\(xs\) \}; make\(\[\]int, 0, n\)\)`
	}
	return out
}

func spreadLit(xss [][]int) []int {
	out := []int{}
	for _, xs := range xss {
		out = append(out, xs...) // want `out grows by append of len\(xs\)`
	}
	return out
}

func spreadIndex(parts [][]byte) []byte {
	out := make([]byte, 0)
	for i := range parts {
		out = append(out, parts[i]...) // want `for i := range parts \{ n \+= len\(parts\[i\]\) \}`
	}
	return out
}

type page struct{ Items []string }

func spreadField(pages []page) []string {
	all := []string{}
	for _, p := range pages {
		all = append(all, p.Items...) // want `all grows by append of len\(p.Items\)`
	}
	return all
}

// Through a pointer, with nothing else in the loop.
func spreadPtrField(pages []*page) []string {
	all := []string{}
	for _, p := range pages {
		all = append(all, p.Items...) // want `all grows by append of len\(p.Items\)`
	}
	return all
}

// Strings spread into a byte slice.
func spreadStrings(strs []string) []byte {
	b := []byte{}
	for _, s := range strs {
		b = append(b, s...) // want `b grows by append of len\(s\)`
	}
	return b
}

// n is taken: the total gets another name.
func spreadNameTaken(xss map[string][]int, n int) []int {
	out := []int{}
	for k := range xss {
		out = append(out, xss[k]...) // want `size := 0; for k := range xss \{ size \+= len\(xss\[k\]\) \}; make\(\[\]int, 0, size\)`
	}
	return out[:n]
}

// A statement between the declaration and the loop: reported, but the fix
// would read the collection before that statement, so there is none.
func spreadNotAdjacent(xss [][]int) []int {
	out := []int{}
	xss = xss[1:]
	for _, xs := range xss {
		out = append(out, xs...) // want `out grows by append of len\(xs\)`
	}
	return out
}

// Other statements beside the append that leave the lengths alone.
func spreadWithWork(xss [][]int) ([]int, int) {
	out := []int{}
	sum := 0
	for _, xs := range xss {
		sum += len(xs)
		out = append(out, xs...) // want `out grows by append of len\(xs\)`
	}
	return out, sum
}

// Silent near-misses.

// The appended slice is computed in the loop: its length is not known
// before it.
func spreadComputed(ws []string) []string {
	var out []string
	for _, w := range ws {
		out = append(out, strings.Fields(w)...)
	}
	return out
}

// The same slice appended every time: not an element of the collection.
func spreadInvariant(xs []int, extra []int) []int {
	var out []int
	for range xs {
		out = append(out, extra...)
	}
	return out
}

// Conditional.
func spreadFiltered(xss [][]int) []int {
	var out []int
	for _, xs := range xss {
		if len(xs) > 2 {
			out = append(out, xs...)
		}
	}
	return out
}

// The element is changed in the loop before it is appended.
func spreadMutated(xss [][]int) []int {
	var out []int
	for _, xs := range xss {
		xs = xs[1:]
		out = append(out, xs...)
	}
	return out
}

// The collection is changed in the loop.
func spreadGrowing(xss [][]int) []int {
	var out []int
	for i := range xss {
		xss[i] = append(xss[i], 0)
		out = append(out, xss[i]...)
	}
	return out
}

// Through a pointer, with a call that could change the pointee.
func spreadPtrCall(pages []*page, f func(*page)) []string {
	var all []string
	for _, p := range pages {
		f(p)
		all = append(all, p.Items...)
	}
	return all
}

// Spread and single appends to the same slice.
func spreadMixed(xss [][]int) []int {
	var out []int
	for _, xs := range xss {
		out = append(out, xs...)
		out = append(out, 0)
	}
	return out
}

// The loop may stop early.
func spreadUntil(xss [][]int) []int {
	var out []int
	for _, xs := range xss {
		if xs == nil {
			break
		}
		out = append(out, xs...)
	}
	return out
}
