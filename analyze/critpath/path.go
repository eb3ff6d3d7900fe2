package critpath

import (
	"errors"
	"fmt"
	"sort"

	"github.com/advisor-dev/advisor/analyze/internal/grow"
)

// Segment is one piece of the critical path: a part of one interval of one
// goroutine. An untraced gap has G == NoGoroutine, Category CatUntraced and
// Interval -1.
type Segment struct {
	G          GoID
	Start, End Time
	State      State
	Category   Category
	// Interval indexes the goroutine's Intervals.
	Interval int
}

// Duration returns the segment's length in nanoseconds.
func (s *Segment) Duration() Time { return s.End - s.Start }

// Path returns the critical path of the whole run: from the main
// goroutine at the end of the trace back to its start. See PathFrom.
func (g *Graph) Path() ([]Segment, error) {
	if g.Main == NoGoroutine {
		return nil, errors.New("critpath: trace has no main goroutine")
	}
	return g.PathFrom(g.Main, g.End)
}

// returnPoint is where the walk resumes once it is back at time t: on the
// goroutine whose wait it followed to the waker.
type returnPoint struct {
	g *Goroutine
	t Time
}

// PathFrom returns the critical path that ends on goroutine id at time end,
// back to the start of the trace, in time order. The segments are
// contiguous, do not overlap, and sum to end - g.Start.
//
// Walking backward, the path stays on one goroutine at a time and takes
// each interval's own state, except:
//   - a wait whose category Follows and that another goroutine ended
//     continues on that goroutine (the waker) at the wake time, back to when
//     the wait began; then the walk resumes on the waiting goroutine (waits
//     followed inside that span are cut at the same point);
//   - the start of a goroutine continues on its creator at creation time;
//   - time no goroutine explains (before a goroutine with no known creator,
//     after one that exited) is an untraced gap.
//
// The walk is iterative: each step costs O(1), plus O(log n) for the lookup
// on the goroutine it jumps to.
func (g *Graph) PathFrom(id GoID, end Time) ([]Segment, error) {
	return g.PathWithin(id, g.Start, end)
}

// PathWithin is PathFrom walked back only to time start: the critical path
// of one request (or task) that began at start and ended on goroutine id at
// end, whatever happened before it. The segments sum to end - start; a
// goroutine the walk jumps to keeps being followed back to start, and a
// goroutine created before start is not followed to its creator.
func (g *Graph) PathWithin(id GoID, start, end Time) ([]Segment, error) {
	cur := g.Goroutine(id)
	if cur == nil {
		return nil, fmt.Errorf("critpath: no goroutine %d in the trace", id)
	}
	if end < g.Start || end > g.End {
		return nil, fmt.Errorf("critpath: end time %d is outside the trace [%d, %d]", end, g.Start, g.End)
	}
	if start < g.Start || start > end {
		return nil, fmt.Errorf("critpath: start time %d is outside [%d, %d]", start, g.Start, end)
	}
	var (
		path   []Segment
		stack  []returnPoint
		t      = end
		idx    = -2 // -2: look up the interval of cur at t
		stalls = 0  // jumps in a row without progress in time
	)
	gap := func(from Time) {
		path = grow.Append(path, Segment{G: NoGoroutine, Start: from, End: t, State: StateUnknown, Category: CatUntraced, Interval: -1})
		t = from
	}
	for t > start {
		limit := start
		if n := len(stack); n > 0 {
			limit = stack[n-1].t
		}
		if t <= limit {
			// Back where the followed wait began: resume on its goroutine.
			for n := len(stack); n > 0 && stack[n-1].t >= t; n-- {
				cur = stack[n-1].g
				stack = stack[:n-1]
			}
			idx = -2
			continue
		}
		if idx == -2 {
			idx = cur.At(t)
		}
		ivs := cur.Intervals
		if idx < 0 {
			switch {
			case len(ivs) > 0 && t > ivs[len(ivs)-1].End:
				// The goroutine had exited by t.
				gap(max(ivs[len(ivs)-1].End, limit))
				idx = -2
			case cur.Creator != NoGoroutine && g.Goroutine(cur.Creator) != nil && cur.Created <= t &&
				stalls <= len(g.Goroutines):
				if cur.Created < t {
					gap(max(cur.Created, limit))
					continue
				}
				cur, idx = g.Goroutine(cur.Creator), -2
				stalls++
			default:
				gap(limit)
			}
			continue
		}
		iv := &ivs[idx]
		if iv.Category.Follows() && iv.Waker != NoGoroutine && iv.Waker != cur.ID && t == iv.End &&
			stalls <= len(g.Goroutines) {
			if w := g.Goroutine(iv.Waker); w != nil {
				stack = append(stack, returnPoint{cur, max(iv.Start, limit)})
				cur, idx = w, -2
				stalls++
				continue
			}
		}
		s := max(iv.Start, limit)
		path = grow.Append(path, Segment{G: cur.ID, Start: s, End: t, State: iv.State, Category: iv.Category, Interval: idx})
		t, stalls = s, 0
		idx--
		if idx < 0 {
			idx = -1 // the goroutine's start: its creator comes next
		}
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path, nil
}

// Wall returns the time a path spans (the sum of its segments).
func Wall(path []Segment) Time {
	var w Time
	for i := range path {
		w += path[i].Duration()
	}
	return w
}

// Fractions returns, per category, the share of the path's time spent in it.
// The shares sum to 1 (or are all 0 for an empty path).
func Fractions(path []Segment) [NumCategories]float64 {
	var by [NumCategories]Time
	var total Time
	for i := range path {
		by[path[i].Category] += path[i].Duration()
		total += path[i].Duration()
	}
	var f [NumCategories]float64
	if total <= 0 {
		return f
	}
	for c, d := range by {
		f[c] = float64(d) / float64(total)
	}
	return f
}

// Background is a goroutine that is never on the path, with its time per
// category over the whole trace.
type Background struct {
	G         GoID
	StartFunc string
	System    bool
	Time      [NumCategories]Time
}

// Total returns the goroutine's traced time.
func (b *Background) Total() Time {
	var s Time
	for _, d := range b.Time {
		s += d
	}
	return s
}

// Background returns the goroutines that appear in no segment of path,
// largest total time first (ties by id). System goroutines are included and
// marked; callers listing the user's background work skip them.
func (g *Graph) Background(path []Segment) []Background {
	on := make(map[GoID]bool)
	for i := range path {
		on[path[i].G] = true
	}
	var bs []Background
	for _, gr := range g.Goroutines {
		if on[gr.ID] || len(gr.Intervals) == 0 {
			continue
		}
		b := Background{G: gr.ID, StartFunc: gr.StartFunc, System: gr.System}
		for i := range gr.Intervals {
			b.Time[gr.Intervals[i].Category] += gr.Intervals[i].Duration()
		}
		bs = append(bs, b)
	}
	sort.SliceStable(bs, func(i, j int) bool {
		ti, tj := bs[i].Total(), bs[j].Total()
		if ti != tj {
			return ti > tj
		}
		return bs[i].G < bs[j].G
	})
	return bs
}
