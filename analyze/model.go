package analyze

import (
	"slices"
	"sync"
	"time"

	"github.com/advisor-dev/advisor/analyze/critpath"
)

// Model is what Attribute learned from the trace beyond the report: the
// happens-before graph and its critical path. Advise uses it to estimate
// by what-if over the same graph; a nil Model means estimates by Amdahl's
// law over the shares.
type Model struct {
	g    *critpath.Graph
	path []critpath.Segment
	// busy is the average number of the program's goroutines running in
	// the trace: the cores it kept busy or tried to (on a loaded machine
	// more than its CPU samples say, which count only what the OS gave).
	busy float64
	hook map[critpath.GoID]bool
	cp   *cpCtx
	// base is the what-if DAG of the run's end and its length over the
	// what-if base (infrastructure and pollers free), the "before" of
	// every what-if: built once, since on an 8 MB trace each takes about
	// as long as reading the trace.
	base struct {
		once sync.Once
		plan *critpath.Plan
		free map[critpath.GoID]bool
		len  critpath.Time
		err  error
	}
	// reqs are a server's requests when path is the concatenation of
	// their paths (AccountingRequests): a what-if recomputes each
	// request's own path (a sample of them) rather than one run's.
	reqs []request
}

// maxWhatIfRequests bounds the requests a what-if recomputes: each costs a
// pass over the whole graph. They are spread evenly over the window.
const maxWhatIfRequests = 16

// Busy returns the average number of the program's goroutines running.
func (m *Model) Busy() float64 {
	if m == nil {
		return 0
	}
	return m.busy
}

// Wall returns the time the critical path spans.
func (m *Model) Wall() time.Duration {
	if m == nil {
		return 0
	}
	return time.Duration(critpath.Wall(m.path))
}

// Speedup estimates the whole-run speedup if the functions fns ran k times
// faster wherever they occur, by recomputing the critical path of the same
// graph (critpath.Graph.WhatIf): the new path may run through another
// goroutine. It returns false when that cannot be computed.
func (m *Model) Speedup(fns []string, k float64) (float64, bool) {
	if m == nil || m.g == nil || len(m.path) == 0 || len(fns) == 0 || !(k > 1) {
		return 0, false
	}
	return m.whatIf(critpath.FuncsSpeedup(m.g, fns, k))
}

// SpeedupAttributed estimates the whole-run speedup if the time the path
// attributed to the hot paths of fns took k times less: their waits
// overlapped k at a time, say, including the waker's time the path spent
// for them (net/http's connection goroutine reading the response of the
// http.Get in a loop).
func (m *Model) SpeedupAttributed(fns []string, k float64) (float64, bool) {
	if m == nil || m.g == nil || m.cp == nil || len(m.path) == 0 || len(fns) == 0 || !(k > 1) {
		return 0, false
	}
	type key struct {
		g critpath.GoID
		i int
	}
	part := make(map[key]float64)
	for site, ps := range m.cp.pieces {
		if site == attrNoSite || !slices.Contains(fns, m.cp.a.sites[site].fn) {
			continue
		}
		for _, p := range ps {
			seg := &m.path[p.seg]
			gr := m.g.Goroutine(seg.G)
			if gr == nil || seg.Interval < 0 {
				continue
			}
			if d := gr.Intervals[seg.Interval].Duration(); d > 0 {
				part[key{seg.G, seg.Interval}] += p.w * float64(seg.Duration()) / float64(d)
			}
		}
	}
	if len(part) == 0 {
		return 0, false
	}
	return m.whatIf(func(gr *critpath.Goroutine, i int) float64 {
		f := min(part[key{gr.ID, i}], 1)
		return 1 - f + f/k
	})
}

// whatIf returns the ratio of the run's length before and after scale,
// both over the same base: infrastructure and pollers free (see free).
// Running time is taken as traced, like the shares: on a busy machine it
// includes time the OS gave to other processes, and so does the wall time
// the user waits for. (Deflating it to the CPU samples was tried: it
// magnifies every fixed cost of the run, start-up and teardown, by the
// load factor, and memoizing fib on a loaded machine read as 4x.)
func (m *Model) whatIf(scale critpath.Scale) (float64, bool) {
	if len(m.reqs) > 0 {
		return m.whatIfRequests(m.free(), scale)
	}
	if len(m.path) == 0 {
		return 0, false
	}
	end := m.path[len(m.path)-1]
	m.base.once.Do(func() {
		free := m.free()
		m.base.free = free
		if m.base.plan, m.base.err = m.g.Plan(end.G, end.End); m.base.err != nil {
			return
		}
		m.base.len, m.base.err = m.base.plan.Run(func(gr *critpath.Goroutine, i int) float64 {
			if free[gr.ID] {
				return 0
			}
			return 1
		})
	})
	before, free := m.base.len, m.base.free
	if m.base.err != nil || before <= 0 {
		return 0, false
	}
	after, err := m.base.plan.Run(func(gr *critpath.Goroutine, i int) float64 {
		if free[gr.ID] {
			return 0
		}
		return scale(gr, i)
	})
	if err != nil || after <= 0 {
		return 0, false
	}
	return float64(before) / float64(after), true
}

// whatIfRequests returns the ratio of the requests' summed time before and
// after scale, over a sample of at most maxWhatIfRequests requests, each
// recomputed from its end back to its start only (Graph.WhatIfWithin).
func (m *Model) whatIfRequests(free map[critpath.GoID]bool, scale critpath.Scale) (float64, bool) {
	base := func(gr *critpath.Goroutine, i int) float64 {
		if free[gr.ID] {
			return 0
		}
		return 1
	}
	step := max(1, (len(m.reqs)+maxWhatIfRequests-1)/maxWhatIfRequests)
	var before, after critpath.Time
	for i := 0; i < len(m.reqs); i += step {
		r := m.reqs[i]
		plan, err := m.g.PlanWithin(r.g, r.start, r.end)
		if err != nil {
			return 0, false
		}
		b, err := plan.Run(base)
		if err != nil {
			return 0, false
		}
		a, err := plan.Run(func(gr *critpath.Goroutine, i int) float64 { return base(gr, i) * scale(gr, i) })
		if err != nil {
			return 0, false
		}
		before, after = before+b, after+a
	}
	if before <= 0 || after <= 0 {
		return 0, false
	}
	return float64(before) / float64(after), true
}

// free returns the goroutines whose timing a what-if must not keep: the
// runtime's, the hook's, pollers (a spinner, a ticker loop), and idle
// goroutines never on the path. Their
// sleeps would stay fixed costs in the graph and pin the end of the run
// where it was, while in a faster run they are told to stop sooner.
func (m *Model) free() map[critpath.GoID]bool {
	free := make(map[critpath.GoID]bool)
	on := make(map[critpath.GoID]bool)
	for i := range m.path {
		on[m.path[i].G] = true
	}
	for _, gr := range m.g.Goroutines {
		if gr.System || m.hook[gr.ID] {
			free[gr.ID] = true
			continue
		}
		if gr.ID == m.path[len(m.path)-1].G {
			continue
		}
		var total, work, sleep critpath.Time
		sleeps := 0
		for i := range gr.Intervals {
			iv := &gr.Intervals[i]
			total += iv.Duration()
			switch iv.Category {
			case critpath.CatRunning, critpath.CatSyscall, critpath.CatNetwork:
				work += iv.Duration()
			case critpath.CatSleep:
				sleep += iv.Duration()
				sleeps++
			}
		}
		// A poller (sleeping in a loop, even if the path waited for it to
		// exit) stops when told; an idle goroutine never on the path
		// waits for others.
		poller := sleeps >= 5 && 2*sleep >= total
		if total > 0 && (poller || !on[gr.ID] && work*10 < total) {
			free[gr.ID] = true
		}
	}
	return free
}
