package critpath

import (
	"cmp"
	"slices"
	"sort"
)

// Concurrency holds, per category, how many goroutines were in it over
// time: a step function with its running integral, so the average over any
// span costs O(log n). Build it once per Graph with NewConcurrency.
type Concurrency struct {
	steps [NumCategories]step
}

// step is a count that changes at times[i] to counts[i]; area[i] is the
// integral of the count from times[0] to times[i].
type step struct {
	times  []Time
	counts []int32
	area   []float64
}

// NewConcurrency counts, per category, the goroutines in it over time.
// System goroutines are left out (their idle waits would swamp the counts).
func NewConcurrency(g *Graph) *Concurrency {
	type edge struct {
		t Time
		d int32
	}
	var n [NumCategories]int
	for _, gr := range g.Goroutines {
		if !gr.System {
			for i := range gr.Intervals {
				n[gr.Intervals[i].Category] += 2
			}
		}
	}
	var edges [NumCategories][]edge
	for cat := range edges {
		edges[cat] = make([]edge, 0, n[cat])
	}
	for _, gr := range g.Goroutines {
		if gr.System {
			continue
		}
		for i := range gr.Intervals {
			iv := &gr.Intervals[i]
			edges[iv.Category] = append(edges[iv.Category], edge{iv.Start, 1}, edge{iv.End, -1})
		}
	}
	c := new(Concurrency)
	for cat, es := range edges {
		slices.SortFunc(es, func(a, b edge) int { return cmp.Compare(a.t, b.t) })
		s := &c.steps[cat]
		var n int32
		for _, e := range es {
			n += e.d
			if k := len(s.times); k > 0 && s.times[k-1] == e.t {
				s.counts[k-1] = n
				continue
			}
			a := 0.0
			if k := len(s.times); k > 0 {
				a = s.area[k-1] + float64(s.counts[k-1])*float64(e.t-s.times[k-1])
			}
			s.times = append(s.times, e.t)
			s.counts = append(s.counts, n)
			s.area = append(s.area, a)
		}
	}
	return c
}

// integral returns the integral of the count from times[0] to t.
func (s *step) integral(t Time) float64 {
	i := sort.Search(len(s.times), func(i int) bool { return s.times[i] > t }) - 1
	if i < 0 {
		return 0
	}
	return s.area[i] + float64(s.counts[i])*float64(t-s.times[i])
}

// Count returns the average number of goroutines in category cat over
// [start, end), or 0 for an empty span.
func (c *Concurrency) Count(cat Category, start, end Time) float64 {
	if end <= start || cat >= NumCategories {
		return 0
	}
	s := &c.steps[cat]
	return (s.integral(end) - s.integral(start)) / float64(end-start)
}

// InFlight returns, per category, the average number of goroutines that
// were in that category while the given segments were in it: each
// segment's category is averaged over the segments of that category,
// weighted by their length. The segments may be the whole path or any
// subset (say, the segments of one hot function). Categories with no
// segment are 0. A segment's own goroutine counts (unless it is a system
// goroutine), so a category on the path has an in_flight of at least 1
// whenever the path was on a user goroutine.
func (c *Concurrency) InFlight(segs []Segment) [NumCategories]float64 {
	var area [NumCategories]float64
	var dur [NumCategories]Time
	for i := range segs {
		sg := &segs[i]
		if sg.End <= sg.Start || sg.Category >= NumCategories {
			continue
		}
		s := &c.steps[sg.Category]
		area[sg.Category] += s.integral(sg.End) - s.integral(sg.Start)
		dur[sg.Category] += sg.End - sg.Start
	}
	var avg [NumCategories]float64
	for cat := range avg {
		if dur[cat] > 0 {
			avg[cat] = area[cat] / float64(dur[cat])
		}
	}
	return avg
}
