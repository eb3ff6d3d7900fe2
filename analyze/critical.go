package analyze

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/advisor-dev/advisor/analyze/critpath"
	"github.com/advisor-dev/advisor/analyze/internal/grow"
	"github.com/advisor-dev/advisor/analyze/report"
)

// defaultSampleHz is the CPU sampling rate assumed for a trace with CPU
// samples but no CPU profile to read the period from (the runtime's default).
const defaultSampleHz = 100

// maxBackground is how many background goroutines a report lists.
const maxBackground = 5

// attrPiece is a part of a path segment attributed to one function. It is
// kept small (16 bytes): an 8 MB trace has more than a million of them.
type attrPiece struct {
	seg   int32 // the segment's index in the path
	state uint8
	w     float64 // the part of the segment's time (0..1)
}

// cpCtx is the state of one attribution over a graph.
type cpCtx struct {
	a      *attributor
	g      *critpath.Graph
	info   []*attrStack // by StackID, computed once
	hookG  map[critpath.GoID]bool
	path   []critpath.Segment
	pieces map[int][]attrPiece // by site
	// profile is the CPU profile's split by site, for running time when the
	// trace has no CPU samples at all.
	profile map[int]*attrDurations
	profTot float64
	dropped critpath.Time
	noSamp  critpath.Time // running time on the path no sample explains
	samples int
	locks   map[string]*lockInfo // see lockedBy; built on first use
	others  []goSample           // every program sample in time order; see runnable
	// runningCount is how many program goroutines ran, over time (see
	// inFlight); built on first use.
	runningCount *stepFn
	sites        map[critpath.GoID]*goLastSites // see lastSite; built on first use
	stk          []uint8                        // request-finder traits by StackID; see traits
	// base is the index in the attributed path of the walk's first
	// segment: requests are walked one at a time, and pieces index the
	// concatenation of their paths.
	base int
}

// fromGraph attributes the wall time along the critical path of g: the
// run's, or with Window each request's (see requests.go).
func (a *attributor) fromGraph(g *critpath.Graph) error {
	c := &cpCtx{a: a, g: g, info: make([]*attrStack, len(g.Stacks)), hookG: make(map[critpath.GoID]bool), pieces: make(map[int][]attrPiece)}
	for _, gr := range g.Goroutines {
		c.samples += len(gr.Samples)
		if a.isHook(gr.StartFunc) || gr.Creator != critpath.NoGoroutine && c.hookG[gr.Creator] {
			c.hookG[gr.ID] = true
		}
	}
	if c.samples == 0 && a.o.CPU != nil {
		c.profile, c.profTot = a.cpuWeights(a.o.CPU)
	}
	paths, rs, err := a.paths(c)
	if err != nil {
		return err
	}
	var path []critpath.Segment
	for _, p := range paths {
		// Each request is walked on its own: the waits it followed do
		// not carry over to the next one.
		c.walk(p, len(path))
		path = append(path, p...)
	}
	c.path = path // pieces index it (attrPiece.seg)
	if c.noSamp > 0 && c.samples == 0 && c.profile == nil && float64(c.noSamp) > 0.05*float64(critpath.Wall(path)) {
		a.warnf("the trace has no CPU samples (the CPU profiler was off while tracing, or the run was too short): on-CPU time is placed where each goroutine last blocked or started")
	}
	// Recursion depths: from every sample of the program's goroutines.
	for _, gr := range g.Goroutines {
		if gr.System || c.hookG[gr.ID] {
			continue
		}
		for _, s := range gr.Samples {
			if si := c.stack(s.Stack); !si.hook {
				a.addDepths(si.depths)
			}
		}
	}
	a.graph, a.path, a.cp = g, path, c
	a.wall = time.Duration(g.End - g.Start)
	a.procs = g.Procs
	a.events = g.Events
	a.cpuSamples, a.cpuNanos = c.cpuFromSamples()
	a.background = c.background(path)
	if rs != nil {
		a.requests, a.reqs = rs.stats(paths, g.End-g.Start), rs.reqs
		a.warnf("%s", a.requests.note(a.wall.Seconds()))
	}
	c.busyNote()
	return nil
}

// paths returns the critical paths to attribute: the run's, walked back
// from its end; or, in a window (AttributeOptions.Window) of a server, each
// request's, with the requests (a server that served none has no path at
// all: it was idle); or, in a window of a program that serves nothing,
// the path back from its busiest goroutine.
func (a *attributor) paths(c *cpCtx) ([][]critpath.Segment, *requestSet, error) {
	g := c.g
	end := endGoroutine(g)
	if a.o.Window {
		rs := c.findRequests()
		switch {
		case len(rs.reqs) > 0:
			paths := make([][]critpath.Segment, len(rs.reqs))
			for i, r := range rs.reqs {
				p, err := g.PathWithin(r.g, r.start, r.end)
				if err != nil {
					return nil, nil, fmt.Errorf("request on goroutine %d: %w", r.g, err)
				}
				paths[i] = p
			}
			return paths, &rs, nil
		case rs.server && c.idleWindow():
			return nil, &rs, nil
		}
		if b := busiest(g, a); b != critpath.NoGoroutine {
			end = b
		}
	}
	if end == critpath.NoGoroutine {
		return nil, nil, errors.New("the trace has no main goroutine to walk back from")
	}
	at := g.End
	if gr := g.Goroutine(end); gr != nil && len(gr.Intervals) > 0 {
		at = gr.Intervals[len(gr.Intervals)-1].End
	}
	path, err := g.PathFrom(end, at)
	if err != nil {
		return nil, nil, err
	}
	return [][]critpath.Segment{path}, nil, nil
}

// endGoroutine picks where the run ends: the main goroutine, unless it is
// blocked at the end of the trace (a test or benchmark that stopped the
// trace from its own goroutine, with the main goroutine waiting in the
// testing harness): then the goroutine of the trace's last event, else one
// running at the end.
func endGoroutine(g *critpath.Graph) critpath.GoID {
	active := func(gr *critpath.Goroutine) bool {
		n := len(gr.Intervals)
		if n == 0 || gr.Intervals[n-1].End != g.End {
			return false
		}
		st := gr.Intervals[n-1].State
		return st == critpath.StateRunning || st == critpath.StateSyscall
	}
	if m := g.Goroutine(g.Main); m != nil && active(m) {
		return g.Main
	}
	// The goroutine of the last event stopped the trace; it may be
	// blocked by then (trace.Stop waits for the trace to be flushed).
	if l := g.Goroutine(g.Last); l != nil && !l.System && len(l.Intervals) > 0 && l.Intervals[len(l.Intervals)-1].End == g.End {
		return g.Last
	}
	for _, gr := range g.Goroutines {
		if !gr.System && active(gr) {
			return gr.ID
		}
	}
	return g.Main
}

// busiest returns the program goroutine with the most CPU samples that
// lives to the end of the trace, else the one with the most samples
// (NoGoroutine when no goroutine was sampled).
func busiest(g *critpath.Graph, a *attributor) critpath.GoID {
	best, bestN, bestLive := critpath.NoGoroutine, 0, false
	for _, gr := range g.Goroutines {
		if gr.System || a.isHook(gr.StartFunc) || len(gr.Samples) == 0 || len(gr.Intervals) == 0 {
			continue
		}
		live := gr.Intervals[len(gr.Intervals)-1].End == g.End
		if live && !bestLive || live == bestLive && len(gr.Samples) > bestN {
			best, bestN, bestLive = gr.ID, len(gr.Samples), live
		}
	}
	return best
}

// stack returns the attribution summary of a stack, computed once.
func (c *cpCtx) stack(id critpath.StackID) *attrStack {
	if int(id) < len(c.info) && c.info[id] != nil {
		return c.info[id]
	}
	fs := c.g.Stack(id)
	frames := make([]attrFrame, 0, len(fs))
	for _, f := range fs {
		frames = append(frames, attrFrame{fn: f.Func, file: f.File, line: f.Line})
	}
	if n := len(frames); n > 0 && frames[n-1].fn == "runtime.goexit" {
		frames = frames[:n-1]
	}
	si := c.a.stackInfo(frames)
	if id >= 0 && int(id) < len(c.info) {
		c.info[id] = &si
	}
	return &si
}

// inherit is a wait the path followed into its waker: time on the waker
// with no own-code place of its own is spent for the waiting code.
type inherit struct {
	site  int
	start critpath.Time
	lock  bool // a wait for a mutex: the holder's work is its critical section
}

// walk attributes each segment of the path, latest first, keeping the
// stack of followed waits so that a waker's library code (net/http's
// connection loop reading the response) counts for the own-code wait it
// ends (the http.Get in the target's loop).
func (c *cpCtx) walk(path []critpath.Segment, base int) {
	c.base = base
	var stack []inherit
	for k := len(path) - 1; k >= 0; k-- {
		seg := &path[k]
		for n := len(stack); n > 0 && stack[n-1].start >= seg.End; n-- {
			stack = stack[:n-1]
		}
		inh, lock := attrNoSite, false
		if n := len(stack); n > 0 {
			inh, lock = stack[n-1].site, stack[n-1].lock
		}
		if k+1 < len(path) {
			if next := &path[k+1]; next.G != seg.G && next.G != critpath.NoGoroutine {
				if w := c.followed(next, seg.G); w != nil {
					site := inh
					if si := c.stack(w.Stack); si.site != attrNoSite && !si.hook {
						site = si.site
					}
					lock = w.Category == critpath.CatLock
					stack = append(stack, inherit{site, w.Start, lock})
					inh = site
				}
			}
		}
		if lock && inh != attrNoSite && (seg.State == critpath.StateRunning || seg.State == critpath.StateRunnable) {
			// The path waited for a mutex while its holder ran: that
			// time is the critical section serializing the goroutines,
			// and the place to act on is the Lock call that waited.
			if gr := c.g.Goroutine(seg.G); gr != nil && !c.hookG[gr.ID] {
				c.add(inh, k, seg, attrLock, 1)
				continue
			}
		}
		c.segment(k, seg, inh)
	}
}

// followed returns the wait of next's goroutine that ended at next.Start,
// woken by waker, when the path followed it; else nil.
func (c *cpCtx) followed(next *critpath.Segment, waker critpath.GoID) *critpath.Interval {
	gr := c.g.Goroutine(next.G)
	if gr == nil {
		return nil
	}
	i := gr.At(next.Start)
	if i < 0 {
		return nil
	}
	w := &gr.Intervals[i]
	if w.State != critpath.StateWaiting || !w.Category.Follows() || w.End != next.Start || w.Waker != waker {
		return nil
	}
	return w
}

// segment attributes one path segment; inh is the own-code place of the
// innermost wait the path followed to get here (attrNoSite if none).
func (c *cpCtx) segment(k int, seg *critpath.Segment, inh int) {
	gr := c.g.Goroutine(seg.G)
	if gr == nil || seg.Interval < 0 || seg.Duration() <= 0 {
		return // an untraced gap: no one's time
	}
	if c.hookG[gr.ID] {
		c.dropped += seg.Duration()
		return
	}
	iv := &gr.Intervals[seg.Interval]
	or := func(site int) int {
		if site != attrNoSite {
			return site
		}
		if inh != attrNoSite {
			return inh
		}
		return c.lastSite(gr, seg.Interval, seg.Start)
	}
	switch seg.State {
	case critpath.StateRunning:
		c.running(k, seg, gr, or)
	case critpath.StateRunnable:
		c.runnable(k, seg, gr, or)
	case critpath.StateSyscall:
		si := c.stack(iv.Stack)
		if si.hook {
			c.dropped += seg.Duration()
			return
		}
		st := attrSyscall
		if si.cgo {
			// C code runs "in a system call" as far as the scheduler
			// knows; it computes.
			st = attrCPU
		}
		c.add(or(si.site), k, seg, st, 1)
	default:
		si := c.stack(iv.Stack)
		if si.hook {
			c.dropped += seg.Duration()
			return
		}
		c.add(or(si.site), k, seg, catState(seg.Category), 1)
	}
}

// running splits a running segment over the CPU samples its goroutine took
// inside it: innermost own-code frame, as cpu (or gc, lock, syscall for CPU
// spent in a GC assist, spinning on a mutex or in system call wrappers).
func (c *cpCtx) running(k int, seg *critpath.Segment, gr *critpath.Goroutine, or func(int) int) {
	ss := gr.SamplesIn(seg.Start, seg.End)
	if len(ss) == 0 {
		c.noSamp += seg.Duration()
		if c.profile != nil && c.profTot > 0 {
			for site, d := range c.profile {
				for st, v := range d {
					if v > 0 {
						c.add(or(site), k, seg, st, v/c.profTot)
					}
				}
			}
			return
		}
		ss = nearSamples(gr, seg.Start, seg.End)
	}
	if len(ss) == 0 {
		c.add(or(attrNoSite), k, seg, attrCPU, 1)
		return
	}
	per := 1 / float64(len(ss))
	for _, s := range ss {
		si := c.stack(s.Stack)
		if si.hook {
			c.dropped += critpath.Time(float64(seg.Duration()) * per)
			continue
		}
		site := or(si.site)
		if li, f := c.lockedBy(site, seg); li != nil && f > 0 {
			c.add(li.site, k, seg, attrLock, per*f)
			if f < 1 {
				c.add(site, k, seg, si.cpuState, per*(1-f))
			}
			continue
		}
		c.add(site, k, seg, si.cpuState, per)
	}
}

// lockInfo is, for one function, when other goroutines waited on a mutex
// in it, and where they waited most.
type lockInfo struct {
	busy *stepFn // 1 while at least one goroutine waits, else 0
	site int
}

// lockedBy returns the lock waits that serialize code at site during seg:
// while the path computes in a function whose mutex other goroutines are
// queued on, its time is a critical section and the wait is the cost (a
// mutex held while working, contended). f is the part of seg with waiters.
func (c *cpCtx) lockedBy(site int, seg *critpath.Segment) (li *lockInfo, f float64) {
	if site == attrNoSite {
		return nil, 0
	}
	if c.locks == nil {
		c.buildLocks()
	}
	if len(c.locks) == 0 {
		return nil, 0
	}
	st := c.a.sites[site].stack
	for i := len(st) - 1; i >= 0; i-- {
		if li := c.locks[st[i]]; li != nil {
			return li, li.busy.avg(seg.Start, seg.End)
		}
	}
	return nil, 0
}

// buildLocks indexes the program's mutex waits by the innermost own
// function they wait in.
func (c *cpCtx) buildLocks() {
	c.locks = make(map[string]*lockInfo)
	edges := make(map[string][]stepEdge)
	bySite := make(map[string]map[int]critpath.Time)
	for _, gr := range c.g.Goroutines {
		if gr.System || c.hookG[gr.ID] {
			continue
		}
		for i := range gr.Intervals {
			iv := &gr.Intervals[i]
			if iv.Category != critpath.CatLock || iv.Stack == critpath.NoStack {
				continue
			}
			si := c.stack(iv.Stack)
			if si.site == attrNoSite || si.hook {
				continue
			}
			fn := c.a.sites[si.site].fn
			edges[fn] = append(edges[fn], stepEdge{iv.Start, 1}, stepEdge{iv.End, -1})
			if bySite[fn] == nil {
				bySite[fn] = make(map[int]critpath.Time)
			}
			bySite[fn][si.site] += iv.Duration()
		}
	}
	for fn, es := range edges {
		n := newStep(es)
		var ind []stepEdge
		on := false
		for i, cnt := range n.count {
			if (cnt > 0) != on {
				on = cnt > 0
				d := int32(-1)
				if on {
					d = 1
				}
				ind = append(ind, stepEdge{n.times[i], d})
			}
		}
		best, bestT := attrNoSite, critpath.Time(-1)
		for site, t := range bySite[fn] {
			if t > bestT || t == bestT && site < best {
				best, bestT = site, t
			}
		}
		c.locks[fn] = &lockInfo{busy: newStep(ind), site: best}
	}
}

// runnable attributes scheduler wait on the path: while the path's
// goroutine waited for a core, the cores ran the program's other
// goroutines, and the code they ran is what the wait was for (64
// goroutines computing on 2 cores wait mostly for each other). The time
// stays sched, placed by the other goroutines' CPU samples in the window;
// with none (the OS gave the cores to other processes), where the
// goroutine last was.
func (c *cpCtx) runnable(k int, seg *critpath.Segment, gr *critpath.Goroutine, or func(int) int) {
	if c.others == nil {
		for _, o := range c.g.Goroutines {
			if o.System || c.hookG[o.ID] {
				continue
			}
			for _, s := range o.Samples {
				c.others = append(c.others, goSample{s, o.ID})
			}
		}
		slices.SortFunc(c.others, func(a, b goSample) int { return cmp.Compare(a.Time, b.Time) })
		if c.others == nil {
			c.others = []goSample{}
		}
	}
	ss := c.others
	i := sort.Search(len(ss), func(i int) bool { return ss[i].Time >= seg.Start })
	j := sort.Search(len(ss), func(i int) bool { return ss[i].Time >= seg.End })
	var sites []int
	for _, s := range ss[i:j] {
		if s.g == gr.ID {
			continue
		}
		if si := c.stack(s.Stack); si.site != attrNoSite && !si.hook {
			sites = append(sites, si.site)
		}
	}
	if len(sites) == 0 {
		c.add(or(attrNoSite), k, seg, attrSched, 1)
		return
	}
	per := 1 / float64(len(sites))
	for _, site := range sites {
		c.add(site, k, seg, attrSched, per)
	}
}

// goSample is a CPU sample with its goroutine.
type goSample struct {
	critpath.Sample
	g critpath.GoID
}

// nearSamples returns a goroutine's last sample before start and its
// first at or after end: a running interval too short for a sample of its
// own is most likely doing what the goroutine did around it.
func nearSamples(gr *critpath.Goroutine, start, end critpath.Time) []critpath.Sample {
	s := gr.Samples
	i := sort.Search(len(s), func(i int) bool { return s[i].Time >= start })
	j := sort.Search(len(s), func(i int) bool { return s[i].Time >= end })
	var out []critpath.Sample
	if i > 0 {
		out = append(out, s[i-1])
	}
	if j < len(s) {
		out = append(out, s[j])
	}
	return out
}

// lastSite returns the last own-code place goroutine gr was seen at before
// t: the stack of one of its recent waits, or a recent CPU sample.
func (c *cpCtx) lastSite(gr *critpath.Goroutine, idx int, t critpath.Time) int {
	ls := c.lastSites(gr)
	site, at := attrNoSite, critpath.Time(-1<<62)
	// The nearest of the 8 intervals before idx with an own-code stack.
	if idx > 0 && idx <= len(ls.iv) {
		if j := ls.iv[idx-1]; j >= 0 && int(j) >= idx-8 {
			site, at = c.stack(gr.Intervals[j].Stack).site, gr.Intervals[j].Start
		}
	}
	s := gr.Samples
	// A few samples back at most: the point is the goroutine's recent
	// place, and a goroutine never in own code must not cost a scan of all
	// its samples per segment.
	i0 := sort.Search(len(s), func(i int) bool { return s[i].Time >= t }) - 1
	if i0 >= 0 {
		if i := ls.sample[i0]; i >= 0 && int(i) > i0-8 && s[i].Time > at {
			return c.stack(s[i].Stack).site
		}
	}
	return site
}

// goLastSites indexes, for one goroutine, the nearest interval and sample
// at or before each index whose stack has an own-code site (-1 if none):
// lastSite asks for every path segment with no place of its own, and a
// scan back per segment cost an eighth of the attribution.
type goLastSites struct {
	iv, sample []int32
}

// lastSites returns gr's index, building it on first use.
func (c *cpCtx) lastSites(gr *critpath.Goroutine) *goLastSites {
	if ls := c.sites[gr.ID]; ls != nil {
		return ls
	}
	own := func(id critpath.StackID) bool {
		if id == critpath.NoStack {
			return false
		}
		si := c.stack(id)
		return si.site != attrNoSite && !si.hook
	}
	ls := &goLastSites{iv: make([]int32, len(gr.Intervals)), sample: make([]int32, len(gr.Samples))}
	last := int32(-1)
	for j := range gr.Intervals {
		if own(gr.Intervals[j].Stack) {
			last = int32(j)
		}
		ls.iv[j] = last
	}
	last = -1
	for i := range gr.Samples {
		if own(gr.Samples[i].Stack) {
			last = int32(i)
		}
		ls.sample[i] = last
	}
	if c.sites == nil {
		c.sites = make(map[critpath.GoID]*goLastSites)
	}
	c.sites[gr.ID] = ls
	return ls
}

func (c *cpCtx) add(site, k int, seg *critpath.Segment, state int, w float64) {
	var d attrDurations
	d[state] = float64(seg.Duration()) * w
	c.a.addTime(site, &d)
	c.pieces[site] = grow.Append(c.pieces[site], attrPiece{seg: int32(c.base + k), state: uint8(state), w: w})
}

// catState maps a path category to a breakdown state.
func catState(cat critpath.Category) int {
	switch cat {
	case critpath.CatRunning:
		return attrCPU
	case critpath.CatSched:
		return attrSched
	case critpath.CatSyscall:
		return attrSyscall
	case critpath.CatNetwork:
		return attrNetwork
	case critpath.CatSleep:
		return attrSleep
	case critpath.CatChannel, critpath.CatWaitGroup:
		// A WaitGroup.Wait is a join on other goroutines' work, not lock
		// contention.
		return attrChannel
	case critpath.CatSelect:
		return attrSelect
	case critpath.CatGC:
		return attrGC
	}
	return attrLock // locks, sync.Cond and waits of unknown reason
}

// cpuFromSamples returns the run's CPU time from CPU samples, never from
// the trace's running time (which includes time the OS gave the thread's
// core to other processes): the trace's own samples when it has them (they
// know their goroutine, so the hook's are left out even when a stack is
// cut short), at the CPU profile's period (else the runtime's default
// rate); else the CPU profile's total outside the hook.
func (c *cpCtx) cpuFromSamples() (n int64, nanos float64) {
	for _, gr := range c.g.Goroutines {
		if c.hookG[gr.ID] {
			continue
		}
		for _, s := range gr.Samples {
			if !c.stack(s.Stack).hook {
				n++
			}
		}
	}
	// Samples on no goroutine are left out: under the race detector most
	// of them are the race runtime working for whatever goroutine ran.
	p := c.a.o.CPU
	period := 1e9 / defaultSampleHz
	if p != nil && p.Period > 0 && p.PeriodType != nil && p.PeriodType.Unit == "nanoseconds" {
		period = float64(p.Period)
	}
	if n > 0 {
		return n, float64(n) * period
	}
	if p != nil {
		return c.a.cpuTotal(p)
	}
	return 0, 0
}

// busyNote warns when the trace's running time far exceeds the CPU the
// samples measured: the OS gave the cores to other processes meanwhile.
func (c *cpCtx) busyNote() {
	var running critpath.Time
	for _, gr := range c.g.Goroutines {
		if c.hookG[gr.ID] || gr.System {
			continue
		}
		for i := range gr.Intervals {
			if iv := &gr.Intervals[i]; iv.State == critpath.StateRunning {
				running += iv.Duration()
			}
		}
	}
	if w := c.g.End - c.g.Start; w > 0 {
		c.a.busy = float64(running) / float64(w)
	}
	if c.a.cpuSamples == 0 || c.a.cpuNanos <= 0 {
		return
	}
	r, cpu := float64(running), c.a.cpuNanos
	if r > 1.3*cpu && r-cpu > 0.1e9 {
		c.a.warnf("the machine was busy: the trace shows %.2fs of running time but the CPU profile only %.2fs of CPU; the OS gave %.0f%% of the running time to other processes, so on-CPU shares and estimates are rough",
			r/1e9, cpu/1e9, 100*(1-cpu/r))
	}
}

// background lists the program's largest goroutines never on the path,
// merged by start function (a pool of identical workers is one entry).
func (c *cpCtx) background(path []critpath.Segment) []report.Background {
	type agg struct {
		fn string
		by attrDurations
	}
	var order []*agg
	byFn := make(map[string]*agg)
	for _, b := range c.g.Background(path) {
		if b.System || c.hookG[b.G] || attrInfraEntry(b.StartFunc) || b.Total() <= 0 {
			continue
		}
		fn := b.StartFunc
		if fn == "" {
			fn = fmt.Sprintf("goroutine %d", b.G)
		}
		ag := byFn[fn]
		if ag == nil {
			ag = &agg{fn: fn}
			byFn[fn] = ag
			order = append(order, ag)
		}
		for cat, d := range b.Time {
			ag.by[catState(critpath.Category(cat))] += float64(d)
		}
	}
	slices.SortStableFunc(order, func(x, y *agg) int { return cmp.Compare(y.by.sum(), x.by.sum()) })
	var out []report.Background
	for _, ag := range order {
		best := 0
		for i, v := range ag.by {
			if v > ag.by[best] {
				best = i
			}
		}
		out = append(out, report.Background{Function: ag.fn, Seconds: round3(ag.by.sum() / 1e9), State: attrStateNames[best]})
		if len(out) == maxBackground {
			break
		}
	}
	return out
}

// readGraph reads the trace into a graph, with the error messages of
// Attribute's contract: an error only when nothing could be read.
func (a *attributor) readGraph(r io.Reader) (*critpath.Graph, error) {
	cr := &attrCountingReader{r: r}
	g, err := critpath.Read(cr)
	if g == nil {
		switch {
		case cr.n == 0:
			return nil, errors.New("trace file is empty (did the target exit before the trace was written?)")
		case err != nil && !strings.Contains(err.Error(), "trace holds no events"):
			return nil, fmt.Errorf("trace is corrupt or ends before its first complete section: %s", attrOneLine(innerErr(err).Error()))
		default:
			return nil, errors.New("trace holds no events")
		}
	}
	if err != nil {
		a.warnf("trace ends early after %.3gs of events (did the target crash or get killed?): %v; results are partial",
			time.Duration(g.End-g.Start).Seconds(), innerErr(err))
	}
	return g, nil
}

// attrCountingReader counts bytes read, to tell an empty file from a corrupt one.
type attrCountingReader struct {
	r io.Reader
	n int64
}

func (c *attrCountingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// innerErr strips critpath's wrapping: the messages here say what failed.
func innerErr(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
