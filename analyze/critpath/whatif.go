package critpath

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

// Scale says how much of its traced length interval i of goroutine gr would
// take in a what-if: 1 is unchanged, 0.5 is twice as fast, 0 is free.
type Scale func(gr *Goroutine, i int) float64

// FuncSpeedup returns the Scale for "the time spent in function fn runs k
// times faster" (k >= 1): a running interval shrinks by the share of its CPU
// samples with fn on the stack (a running interval with no sample of its own
// goes by the goroutine's nearest samples before and after it, and is
// unchanged if the goroutine has none), and so does the runnable interval
// right after it (a preemption); a system call or a wait whose stack at its
// start has fn shrinks by k. fn is a full function name as in Frame.Func.
func FuncSpeedup(g *Graph, fn string, k float64) Scale {
	return FuncsSpeedup(g, []string{fn}, k)
}

// FuncsSpeedup is FuncSpeedup for the time spent in any of the functions
// fns (a sample or stack holding several counts once).
func FuncsSpeedup(g *Graph, fns []string, k float64) Scale {
	if k < 1 {
		k = 1
	}
	has := make([]bool, len(g.Stacks))
	for id := range g.Stacks {
		for _, fn := range fns {
			if g.StackHas(StackID(id), fn) {
				has[id] = true
				break
			}
		}
	}
	var scale Scale
	scale = func(gr *Goroutine, i int) float64 {
		iv := &gr.Intervals[i]
		switch iv.State {
		case StateRunnable:
			// Runnable right after running: the goroutine was preempted
			// (its time slice ran out) and waits for a core again. The
			// number of such waits follows the running time, so the wait
			// shrinks with the work it interrupted. Runnable after a wake
			// is the scheduler's latency, a fixed cost.
			if i > 0 && gr.Intervals[i-1].State == StateRunning && gr.Intervals[i-1].End == iv.Start {
				return scale(gr, i-1)
			}
		case StateRunning:
			ss := gr.SamplesIn(iv.Start, iv.End)
			if len(ss) == 0 {
				// Too short (or too starved of CPU) for a sample: go by
				// the goroutine's nearest samples before and after.
				ss = nearSamples(gr, iv.Start, iv.End)
			}
			if len(ss) == 0 {
				return 1
			}
			in := 0
			for _, s := range ss {
				if has[s.Stack] {
					in++
				}
			}
			f := float64(in) / float64(len(ss))
			return 1 - f + f/k
		case StateSyscall, StateWaiting:
			if has[iv.Stack] {
				return 1 / k
			}
		}
		return 1
	}
	return scale
}

// nearSamples returns the goroutine's last sample before start and first
// at or after end (those that exist).
func nearSamples(gr *Goroutine, start, end Time) []Sample {
	s := gr.Samples
	i := sort.Search(len(s), func(i int) bool { return s[i].Time >= start })
	j := sort.Search(len(s), func(i int) bool { return s[i].Time >= end })
	lo, hi := i-1, j+1
	if lo < 0 {
		lo = 0
	}
	if hi > len(s) {
		hi = len(s)
	}
	return s[lo:hi]
}

// WhatIf returns the length of the critical path ending on goroutine id at
// time end (as PathFrom) when each interval's duration is multiplied by
// scale (nil: unchanged).
//
// The model is a longest path over a DAG. Its nodes are points on each
// goroutine's timeline: the interval boundaries, the times it woke or
// created another goroutine, and end. Consecutive points on a goroutine are
// joined by their piece of interval, weighted by its scaled length; a wake
// (of a wait whose Category Follows) and a creation join the waker's or
// creator's point to the woken or created goroutine's point at zero cost.
// A followed wait that a goroutine ended weighs nothing of its own: it lasts
// until its waker gets there. A point with no incoming edge (the start of a
// goroutine that predates the trace) keeps its traced time. With scale nil
// the result is the traced end - g.Start.
//
// Approximations: every other interval keeps its place in the order and its
// (scaled) length, so scheduler latency, sleeps, network and system calls
// are fixed costs; a goroutine still wakes the same goroutines in the same
// order, after the same work (no reordering of lock handoffs or select
// choices); CPU freed by a speedup does not shorten other goroutines'
// runnable time; a wait ended by the netpoller or a timer keeps its length
// even if what it waited for would now be sooner; the function share of a
// running interval comes from CPU samples: the few around it when it has
// none, nothing at all for a goroutine never sampled (it stays unchanged).
func (g *Graph) WhatIf(id GoID, end Time, scale Scale) (Time, error) {
	return g.WhatIfWithin(id, g.Start, end, scale)
}

// WhatIfWithin is WhatIf for the span [start, end] of one request ending
// on goroutine id (as PathWithin): the length of its critical path when
// each interval's duration is multiplied by scale. Nothing before start
// counts: every goroutine alive at start begins there at its traced time,
// and a wake or creation before start is no edge. With scale nil the
// result is end - start.
func (g *Graph) WhatIfWithin(id GoID, start, end Time, scale Scale) (Time, error) {
	p, err := g.PlanWithin(id, start, end)
	if err != nil {
		return 0, err
	}
	return p.Run(scale)
}

// A Plan is the DAG of WhatIf for one end (goroutine and time), built
// once: Run evaluates it for any number of scales. On an 8 MB trace
// building it takes about as long as one evaluation, and an analysis asks
// several what-ifs of the same end.
type Plan struct {
	g        *Graph
	pts      [][]Time // the points of each goroutine, in time order
	base     []int    // base[k] numbers goroutine k's first point
	n        int      // points in all
	xs       []planEdge
	xoff     []int32 // xoff[p]..xoff[p+1] are the cross edges out of point p
	indeg    []int32 // incoming edges of each point
	owner    []int32 // the goroutine (index) of each point
	ivAt     []int32 // the interval holding the piece that ends at each point
	endPoint int
	start    Time // where the span begins (PlanWithin); Run measures from it
}

// planEdge is a cross edge (a wake or a creation) between two points.
type planEdge struct{ src, dst int }

// Plan builds the what-if DAG of the critical path ending on goroutine id
// at time end (see WhatIf).
func (g *Graph) Plan(id GoID, end Time) (*Plan, error) {
	return g.PlanWithin(id, g.Start, end)
}

// PlanWithin builds the what-if DAG of the span [start, end] of one
// request ending on goroutine id (see WhatIfWithin).
func (g *Graph) PlanWithin(id GoID, start, end Time) (*Plan, error) {
	target := g.Goroutine(id)
	if target == nil {
		return nil, fmt.Errorf("critpath: what-if: no goroutine %d in the trace", id)
	}
	if start < g.Start || start > end || end > g.End {
		return nil, fmt.Errorf("critpath: what-if: span [%d, %d] is outside the trace [%d, %d]", start, end, g.Start, g.End)
	}
	// Cross edges, by source goroutine.
	type xedge struct {
		t   Time
		dst *Goroutine
	}
	out := make(map[GoID][]xedge)
	for _, gr := range g.Goroutines {
		if gr.Creator != NoGoroutine && len(gr.Intervals) > 0 && g.Goroutine(gr.Creator) != nil && gr.Created >= start {
			out[gr.Creator] = append(out[gr.Creator], xedge{gr.Created, gr})
		}
		for i := range gr.Intervals {
			iv := &gr.Intervals[i]
			if iv.State == StateWaiting && iv.Category.Follows() && iv.Waker != NoGoroutine && iv.Waker != gr.ID &&
				g.Goroutine(iv.Waker) != nil && iv.End >= start {
				out[iv.Waker] = append(out[iv.Waker], xedge{iv.End, gr})
			}
		}
	}
	// Points per goroutine, numbered globally.
	base := make([]int, len(g.Goroutines)+1)
	pts := make([][]Time, len(g.Goroutines))
	for k, gr := range g.Goroutines {
		ts := make([]Time, 0, len(gr.Intervals)+1+len(out[gr.ID])+1)
		for i := range gr.Intervals {
			ts = append(ts, gr.Intervals[i].Start)
		}
		if n := len(gr.Intervals); n > 0 {
			ts = append(ts, gr.Intervals[n-1].End)
			if gr.Intervals[0].Start < start && start < gr.Intervals[n-1].End {
				ts = append(ts, start) // alive at start: it begins there
			}
		}
		for _, e := range out[gr.ID] {
			ts = append(ts, e.t)
		}
		if gr == target {
			ts = append(ts, end)
		}
		slices.Sort(ts)
		ts = uniq(ts)
		if start > g.Start {
			i := sort.Search(len(ts), func(i int) bool { return ts[i] >= start })
			ts = ts[i:]
		}
		pts[k] = ts
		base[k+1] = base[k] + len(ts)
	}
	gidx := func(gr *Goroutine) int {
		return sort.Search(len(g.Goroutines), func(i int) bool { return g.Goroutines[i].ID >= gr.ID })
	}
	point := func(k int, t Time) int {
		ts := pts[k]
		return base[k] + sort.Search(len(ts), func(i int) bool { return ts[i] >= t })
	}
	n := base[len(g.Goroutines)]
	// ivAt[p] is the interval holding the piece that ends at point p, as
	// Goroutine.At(point's time) but by one merge walk per goroutine
	// (points and intervals are both in time order) rather than a binary
	// search per piece.
	ivAt := make([]int32, n)
	for k, gr := range g.Goroutines {
		ivs, c := gr.Intervals, 0
		for j, t := range pts[k] {
			for c < len(ivs) && ivs[c].End < t {
				c++
			}
			ivAt[base[k]+j] = -1
			if c < len(ivs) && ivs[c].Start < t {
				ivAt[base[k]+j] = int32(c)
			}
		}
	}
	// Incoming cross edges, as a CSR list by destination.
	var xs []planEdge
	for k, gr := range g.Goroutines {
		for _, e := range out[gr.ID] {
			dk := gidx(e.dst)
			src := point(k, e.t)
			dt := e.t
			if e.dst.Creator == gr.ID && e.dst.Created == e.t && e.dst.Intervals[0].Start >= e.t {
				dt = e.dst.Intervals[0].Start
			}
			xs = append(xs, planEdge{src, point(dk, dt)})
		}
	}
	indeg := make([]int32, n)
	for _, x := range xs {
		indeg[x.dst]++
	}
	for k := range g.Goroutines {
		for p := base[k] + 1; p < base[k+1]; p++ {
			indeg[p]++
		}
	}
	slices.SortFunc(xs, func(a, b planEdge) int { return cmp.Compare(a.src, b.src) })
	xoff := make([]int32, n+1)
	for _, x := range xs {
		xoff[x.src+1]++
	}
	for p := range n {
		xoff[p+1] += xoff[p]
	}
	owner := make([]int32, n)
	for k := range g.Goroutines {
		for p := base[k]; p < base[k+1]; p++ {
			owner[p] = int32(k)
		}
	}
	return &Plan{g: g, pts: pts, base: base, n: n, xs: xs, xoff: xoff, indeg: indeg, owner: owner, ivAt: ivAt,
		endPoint: point(gidx(target), end), start: start}, nil
}

// Run returns the length of the plan's critical path when each interval's
// duration is multiplied by scale (nil: unchanged), as WhatIf. A Plan may
// be run from several goroutines at once.
func (pl *Plan) Run(scale Scale) (Time, error) {
	g, n, base, pts := pl.g, pl.n, pl.base, pl.pts
	indeg := slices.Clone(pl.indeg)
	finish := make([]Time, n)
	set := make([]bool, n)
	queue := make([]int, 0, n)
	for p := 0; p < n; p++ {
		if indeg[p] == 0 {
			k := int(pl.owner[p])
			finish[p], set[p] = pts[k][p-base[k]], true
			queue = append(queue, p)
		}
	}
	relax := func(dst int, f Time) {
		if !set[dst] || f > finish[dst] {
			finish[dst], set[dst] = f, true
		}
		indeg[dst]--
		if indeg[dst] == 0 {
			queue = append(queue, dst)
		}
	}
	done := 0
	for len(queue) > 0 {
		p := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		done++
		k := int(pl.owner[p])
		if p+1 < base[k+1] {
			relax(p+1, finish[p]+g.pieceWeight(g.Goroutines[k], pts[k], p-base[k], int(pl.ivAt[p+1]), scale))
		}
		for _, x := range pl.xs[pl.xoff[p]:pl.xoff[p+1]] {
			relax(x.dst, finish[p])
		}
	}
	if done != n {
		return 0, fmt.Errorf("critpath: what-if: the happens-before graph has a cycle (%d of %d points ordered)", done, n)
	}
	return finish[pl.endPoint] - pl.start, nil
}

// pieceWeight returns the what-if length of the piece from point i to
// i+1, which lies in interval iv (gr.At(ts[i+1])).
func (g *Graph) pieceWeight(gr *Goroutine, ts []Time, i, iv int, scale Scale) Time {
	a, b := ts[i], ts[i+1]
	if iv < 0 || gr.Intervals[iv].Start > a {
		return b - a // outside the goroutine's life: a fixed gap
	}
	in := &gr.Intervals[iv]
	if in.State == StateWaiting && in.Category.Follows() && in.Waker != NoGoroutine && in.Waker != gr.ID &&
		g.Goroutine(in.Waker) != nil && b == in.End {
		// The waker decides when it ends. (A what-if that ends inside the
		// wait splits it; the part before its end keeps its length, as
		// PathFrom takes a wait cut by its end as itself.)
		return 0
	}
	if scale == nil {
		return b - a
	}
	f := scale(gr, iv)
	if f < 0 {
		f = 0
	}
	return Time(float64(b-a) * f)
}

func uniq(ts []Time) []Time {
	out := ts[:0]
	for i, t := range ts {
		if i == 0 || t != ts[i-1] {
			out = append(out, t)
		}
	}
	return out
}
