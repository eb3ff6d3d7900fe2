package critpath

import (
	"math"
	"testing"
)

// checkPath fails on anything that must hold for any path PathFrom returns
// for a path ending at end, and checks Background, InFlight and WhatIf with
// it.
func checkPath(t testing.TB, g *Graph, end GoID, endT Time, path []Segment) {
	t.Helper()
	wall := endT - g.Start
	if len(path) == 0 {
		if wall != 0 {
			t.Fatalf("empty path for a wall time of %d", wall)
		}
		return
	}
	if got := Wall(path); math.Abs(float64(got-wall)) > 0.01*float64(wall) {
		t.Fatalf("path sums to %d, wall time is %d", got, wall)
	}
	if path[0].Start != g.Start || path[len(path)-1].End != endT {
		t.Fatalf("path spans [%d, %d], want [%d, %d]", path[0].Start, path[len(path)-1].End, g.Start, endT)
	}
	if last := path[len(path)-1]; last.G != end {
		t.Fatalf("path ends on goroutine %d, want %d", last.G, end)
	}
	for i := range path {
		s := &path[i]
		if s.End <= s.Start {
			t.Fatalf("segment %d is empty or reversed: %+v", i, *s)
		}
		if i > 0 && path[i-1].End != s.Start {
			t.Fatalf("segments %d and %d are not contiguous: %+v %+v", i-1, i, path[i-1], *s)
		}
		if s.G == NoGoroutine {
			if s.Category != CatUntraced || s.Interval != -1 {
				t.Fatalf("gap segment %d has a category or interval: %+v", i, *s)
			}
			continue
		}
		gr := g.Goroutine(s.G)
		if gr == nil || s.Interval < 0 || s.Interval >= len(gr.Intervals) {
			t.Fatalf("segment %d names no interval: %+v", i, *s)
		}
		iv := &gr.Intervals[s.Interval]
		if s.Start < iv.Start || s.End > iv.End || s.State != iv.State || s.Category != iv.Category {
			t.Fatalf("segment %d %+v is not within its interval %+v", i, *s, *iv)
		}
		if iv.Category.Follows() && iv.Waker != NoGoroutine && iv.Waker != s.G && s.End == iv.End &&
			g.Goroutine(iv.Waker) != nil && !stalled(path, i) {
			t.Fatalf("segment %d is a wait another goroutine ended (%d) but was not followed: %+v", i, iv.Waker, *s)
		}
	}
	f := Fractions(path)
	sum := 0.0
	for _, x := range f {
		if x < 0 || x > 1 {
			t.Fatalf("fraction out of [0,1]: %v", f)
		}
		sum += x
	}
	if sum > 1+1e-9 {
		t.Fatalf("fractions sum to %v > 1", sum)
	}
	on := make(map[GoID]bool)
	for i := range path {
		on[path[i].G] = true
	}
	for _, b := range g.Background(path) {
		if on[b.G] {
			t.Fatalf("background goroutine %d is on the path", b.G)
		}
	}
	c := NewConcurrency(g)
	in := c.InFlight(path)
	for cat, x := range in {
		if x < 0 || math.IsNaN(x) {
			t.Fatalf("in_flight[%v] = %v", Category(cat), x)
		}
	}
	for i := range path {
		s := &path[i]
		gr := g.Goroutine(s.G)
		if gr == nil || gr.System {
			continue
		}
		if x := c.InFlight(path[i : i+1])[s.Category]; x < 1-1e-9 {
			t.Fatalf("in_flight of segment %d %+v is %v < 1 (its own goroutine counts)", i, *s, x)
		}
	}
	same, err := g.WhatIf(end, endT, nil)
	if err != nil {
		t.Fatal(err)
	}
	if same != wall {
		t.Fatalf("what-if with nothing changed: %d, want the wall time %d", same, wall)
	}
	free, err := g.WhatIf(end, endT, func(*Goroutine, int) float64 { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	if free < 0 || free > wall {
		t.Fatalf("what-if with everything free: %d, want in [0, %d]", free, wall)
	}
}

// stalled reports whether the walk may have refused to follow segment i's
// waker: it does so only after jumps that made no progress in time, which
// needs several waits ending at the same instant.
func stalled(path []Segment, i int) bool {
	n := 0
	for j := range path {
		if path[j].End == path[i].End || path[j].Start == path[i].End {
			n++
		}
	}
	return n > 2
}
