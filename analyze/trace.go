package analyze

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/exp/trace"
)

// Pseudo-states of a goroutine interval, beside the state indices.
const (
	attrCatNone = -1 // no cause (for wakeCause)
	attrCatDrop = -2 // time nobody should see: blocked forever, or inside the hook
)

// attrDropSite marks a CPU sample inside the hook: its share of running time is
// the advisor's, not the target's.
const attrDropSite = -2

// attrG is the attributor state of one goroutine.
type attrG struct {
	state trace.GoState
	since trace.Time // start of the current interval
	cat   int        // state index (or attrCatDrop) of the current interval
	site  int        // where the current interval is spent

	// lastSite is the last own-code place the goroutine was seen at: running
	// time without a CPU sample, and runnable time, are placed there.
	lastSite int

	// wakeCause is the effective cause (attrNetwork, attrSyscall or attrCatNone) of the
	// wait that ended the goroutine's latest block; goroutines it wakes from
	// a channel or select wait inherit it.
	wakeCause int

	assist   bool         // in a GC assist or GC stop-the-world range
	segStart trace.Time   // start of the current running segment
	samples  []attrSample // CPU samples in the current running segment

	entry string // start function
	hook  bool   // the hook's goroutine, or created by the hook
	infra bool   // runtime system goroutine (by its wait reasons)
	ran   bool   // ran during the trace
	own   bool   // some stack outside the hook reached own code

	running   float64            // nanoseconds running
	dropped   float64            // of which inside the hook
	hist      map[attrSample]int // all CPU samples of the goroutine
	acc       map[int]*attrDurations
	unsampled map[int]*attrDurations // running time that no CPU sample landed in
	depths    map[string]int
}

func (g *attrG) add(m *map[int]*attrDurations, site, state int, dt float64) {
	if dt <= 0 || state < 0 {
		return
	}
	if *m == nil {
		*m = make(map[int]*attrDurations)
	}
	d := (*m)[site]
	if d == nil {
		d = new(attrDurations)
		(*m)[site] = d
	}
	d[state] += dt
}

// attrSample is a CPU sample of a goroutine: where, and as which state.
type attrSample struct {
	site, state int
}

// attrTrace walks a trace's events.
type attrTrace struct {
	a       *attributor
	gs      map[trace.GoID]*attrG
	stacks  map[trace.Stack]attrStack
	procs   map[trace.ProcID]bool
	first   trace.Time
	last    trace.Time
	samples int
	fbuf    []attrFrame
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

// readTrace attributes goroutine time from an execution trace. A trace that
// fails part-way (truncated by a crash or kill) keeps what was read and adds
// a warning; an error is returned only when nothing could be read.
func (a *attributor) readTrace(r io.Reader) (err error) {
	cr := &attrCountingReader{r: r}
	ts := &attrTrace{
		a:      a,
		gs:     make(map[trace.GoID]*attrG),
		stacks: make(map[trace.Stack]attrStack),
		procs:  make(map[trace.ProcID]bool),
	}
	readErr := ts.read(cr)
	if a.events == 0 {
		switch {
		case cr.n == 0:
			return errors.New("trace file is empty (did the target exit before the trace was written?)")
		case readErr != nil:
			return fmt.Errorf("trace is corrupt or ends before its first complete section: %s", attrOneLine(readErr.Error()))
		default:
			return errors.New("trace holds no events")
		}
	}
	if readErr != nil {
		a.warnf("trace ends early after %.3gs of events (did the target crash or get killed?): %v; results are partial",
			time.Duration(ts.last-ts.first).Seconds(), readErr)
	}
	ts.finish()
	return nil
}

// read consumes events until EOF or the first error.
func (ts *attrTrace) read(r io.Reader) (err error) {
	// x/exp/trace is experimental and parses untrusted bytes: a malformed
	// trace must give an error, never crash advisor.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("trace parser failed: %v", p)
		}
	}()
	tr, err := trace.NewReader(r)
	if err != nil {
		return err
	}
	for {
		ev, err := tr.ReadEvent()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		ts.event(ev)
	}
}

func (ts *attrTrace) event(ev trace.Event) {
	t := ev.Time()
	if ev.Kind() == trace.EventSync {
		return
	}
	ts.a.events++
	if ts.first == 0 || t < ts.first {
		ts.first = t
	}
	if t > ts.last {
		ts.last = t
	}
	switch ev.Kind() {
	case trace.EventStateTransition:
		st := ev.StateTransition()
		switch st.Resource.Kind {
		case trace.ResourceGoroutine:
			ts.goTransition(ev, st)
		case trace.ResourceProc:
			ts.procs[st.Resource.Proc()] = true
		}
	case trace.EventStackSample:
		ts.samples++
		g := ts.gs[ev.Goroutine()]
		if g == nil {
			return
		}
		si := ts.info(ev.Stack())
		ts.noteStack(g, si, false)
		smp := attrSample{site: si.site, state: si.cpuState}
		if si.hook {
			smp.site = attrDropSite
		}
		if g.state == trace.GoRunning {
			g.samples = append(g.samples, smp)
		}
		if smp.site != attrNoSite {
			if g.hist == nil {
				g.hist = make(map[attrSample]int)
			}
			g.hist[smp]++
		}
	case trace.EventRangeBegin, trace.EventRangeActive, trace.EventRangeEnd:
		rg := ev.Range()
		if rg.Scope.Kind != trace.ResourceGoroutine || !attrGCRange(rg.Name) {
			return
		}
		g := ts.gs[rg.Scope.Goroutine()]
		if g == nil {
			return
		}
		on := ev.Kind() != trace.EventRangeEnd
		if g.state == trace.GoRunning && g.assist != on {
			ts.closeSegment(g, t)
		}
		g.assist = on
	}
}

// attrGCRange reports whether a goroutine-scoped range is GC work done by the
// goroutine (an assist, or a GC stop-the-world it runs).
func attrGCRange(name string) bool {
	return strings.HasPrefix(name, "GC ") || strings.HasPrefix(name, "stop-the-world (GC")
}

// info returns the summary of a trace stack, computed once per stack.
func (ts *attrTrace) info(s trace.Stack) attrStack {
	if s == trace.NoStack {
		// Most transitions (unblock, start running) carry no stack.
		return attrStack{site: attrNoSite, cpuState: attrCPU}
	}
	if si, ok := ts.stacks[s]; ok {
		return si
	}
	fs := ts.fbuf[:0]
	for f := range s.Frames() {
		fs = append(fs, attrFrame{fn: f.Func, file: f.File, line: int(f.Line)})
	}
	ts.fbuf = fs
	si := ts.a.stackInfo(fs)
	ts.stacks[s] = si
	return si
}

// noteStack records what a stack says about its goroutine.
func (ts *attrTrace) noteStack(g *attrG, si attrStack, transition bool) {
	if g.entry == "" && transition {
		// Like go tool trace, name a goroutine that predates the trace by
		// the root of its first transition stack. Sample stacks can be
		// taken on the system stack and would misname it.
		g.entry = si.entry
	}
	if si.site != attrNoSite && !si.hook {
		g.lastSite = si.site
		g.own = true
	}
	for _, d := range si.depths {
		if g.depths == nil {
			g.depths = make(map[string]int)
		}
		if d.depth > g.depths[d.fn] {
			g.depths[d.fn] = d.depth
		}
	}
}

func (ts *attrTrace) goTransition(ev trace.Event, st trace.StateTransition) {
	id := st.Resource.Goroutine()
	from, to := st.Goroutine()
	t := ev.Time()
	si := ts.info(st.Stack)
	g := ts.gs[id]
	if g == nil {
		g = &attrG{state: trace.GoNotExist, cat: attrCatNone, site: attrNoSite, lastSite: attrNoSite, wakeCause: attrCatNone}
		ts.gs[id] = g
		if from == trace.GoNotExist {
			// Goroutines the hook starts are the advisor's.
			g.hook = ts.info(ev.Stack()).hook
		} else {
			// It existed before tracing began: it has been in its first
			// state since the start of the trace.
			g.state, g.since = to, ts.first
			g.cat, g.site = ts.waitCat(st, to), si.site
			if to == trace.GoSyscall && si.cgo {
				g.cat = attrCPU
			}
			if to == trace.GoRunning {
				g.segStart = ts.first
			}
		}
	}
	if from == trace.GoNotExist {
		// The transition stack of a new goroutine is its start function.
		g.entry = si.entry
		if ts.a.isHook(si.entry) {
			g.hook = true
		}
	}
	ts.noteStack(g, si, true)

	// Close the current interval. prev is the state a following runnable
	// interval counts as: the wake-up latency of a wait is part of that
	// wait; only runnable time after running (preemption) or creation is
	// scheduler wait. On a loaded machine, a file read's return to a P can
	// take longer than the read, and it is still the read's cost.
	prev := attrSched
	if g.state != trace.GoNotExist && t >= g.since {
		dt := float64(t - g.since)
		switch g.state {
		case trace.GoUndetermined: // a system call inside the hook
			prev = attrCatDrop
		case trace.GoRunning:
			ts.closeSegment(g, t)
		case trace.GoRunnable:
			g.add(&g.acc, g.site, g.cat, dt)
			prev = g.cat
		case trace.GoSyscall:
			g.add(&g.acc, g.site, g.cat, dt)
			if g.cat == attrCPU {
				g.running += dt // cgo
			}
			prev = g.cat
			if g.cat == attrSyscall && g.wakeCause != attrNetwork {
				// A socket read after a network wait is still that
				// network wait's work.
				g.wakeCause = attrSyscall
			}
		case trace.GoWaiting:
			if g.cat == attrChannel || g.cat == attrSelect {
				// Woken by a goroutine that was itself waiting on I/O:
				// the wait was for that I/O (http.Get's select on the
				// transport's goroutines).
				// Only a wait in own code inherits: the waits of
				// goroutines with no own frame are dropped anyway, and
				// an inherited cause would survive there as syscall
				// time (net/http's writeLoop, woken per request).
				if w := ts.gs[ev.Goroutine()]; w != nil && w != g && g.site != attrNoSite &&
					(w.wakeCause == attrNetwork || w.wakeCause == attrSyscall) {
					g.cat = w.wakeCause
				}
			}
			g.add(&g.acc, g.site, g.cat, dt)
			prev = g.cat
			g.wakeCause = attrCatNone
			if g.cat == attrNetwork || g.cat == attrSyscall {
				g.wakeCause = g.cat
			}
		}
	}

	// Open the next one.
	g.state, g.since = to, t
	g.site = g.lastSite
	if si.site != attrNoSite {
		g.site = si.site
	}
	g.cat = attrCatNone
	switch to {
	case trace.GoRunnable:
		g.cat = prev
	case trace.GoRunning:
		g.ran = true
		g.segStart = t
		g.samples = g.samples[:0]
	case trace.GoWaiting:
		g.cat = ts.waitCat(st, to)
		switch st.Reason {
		case "system goroutine wait", "GC background sweeper wait":
			g.infra = true
		}
		if si.hook {
			g.cat = attrCatDrop
		}
	case trace.GoSyscall:
		g.cat = attrSyscall
		if si.cgo {
			// C code runs "in a system call" as far as the scheduler
			// knows; it computes unless shown otherwise.
			g.cat = attrCPU
		}
		if si.hook {
			g.state = trace.GoUndetermined // not counted
		}
	}
}

// waitCat maps a goroutine's new state and reason to a breakdown state.
func (ts *attrTrace) waitCat(st trace.StateTransition, to trace.GoState) int {
	switch to {
	case trace.GoRunnable:
		return attrSched
	case trace.GoSyscall:
		return attrSyscall
	case trace.GoRunning:
		return attrCPU
	case trace.GoWaiting:
	default:
		return attrCatDrop
	}
	switch st.Reason {
	case "network":
		return attrNetwork
	case "sync":
		if ts.info(st.Stack).waitGroup {
			// WaitGroup.Wait is a join on other goroutines' work, not
			// lock contention.
			return attrChannel
		}
		return attrLock
	case "sync.(*Cond).Wait":
		return attrLock
	case "chan send", "chan receive":
		return attrChannel
	case "select":
		return attrSelect
	case "sleep":
		return attrSleep
	case "preempted":
		return attrSched
	case "forever":
		return attrCatDrop
	case "system goroutine wait", "GC background sweeper wait":
		return attrCatDrop
	}
	if strings.HasPrefix(st.Reason, "GC ") || strings.Contains(st.Reason, "GC ends") {
		return attrGC
	}
	return ts.inferWait(st.Stack)
}

// inferWait guesses why a goroutine waits from where it waits, for waits
// the trace gives no reason for (goroutines already blocked when tracing
// began).
func (ts *attrTrace) inferWait(s trace.Stack) int {
	for f := range s.Frames() {
		switch f.Func {
		case "runtime.selectgo", "runtime.block":
			return attrSelect
		case "runtime.chanrecv", "runtime.chansend":
			return attrChannel
		case "internal/poll.runtime_pollWait":
			return attrNetwork
		case "time.Sleep":
			return attrSleep
		case "sync.(*WaitGroup).Wait":
			return attrChannel
		}
	}
	return attrLock
}

// closeSegment ends the goroutine's current running segment at t and
// spreads its time over the CPU samples that landed in it.
func (ts *attrTrace) closeSegment(g *attrG, t trace.Time) {
	dt := float64(t - g.segStart)
	g.segStart = t
	if dt > 0 {
		g.running += dt
	}
	state := attrCPU
	if g.assist {
		state = attrGC
	}
	if dt > 0 {
		if n := len(g.samples); n > 0 {
			per := dt / float64(n)
			for _, smp := range g.samples {
				st := state
				if st == attrCPU {
					st = smp.state
				}
				switch smp.site {
				case attrDropSite:
					g.dropped += per
				case attrNoSite:
					// The stack did not reach own code (truncated, or
					// taken in C code such as the race runtime): place
					// it like the goroutine's other samples.
					g.add(&g.unsampled, g.lastSite, st, per)
				default:
					g.add(&g.acc, smp.site, st, per)
				}
			}
		} else {
			g.add(&g.unsampled, g.lastSite, state, dt)
		}
	}
	g.samples = g.samples[:0]
}

// finish closes open intervals, decides which goroutines are the program's
// work, and sums their time into the attributor.
func (ts *attrTrace) finish() {
	a := ts.a
	for _, g := range ts.gs {
		if g.state == trace.GoNotExist || g.state == trace.GoUndetermined {
			continue
		}
		dt := float64(ts.last - g.since)
		switch g.state {
		case trace.GoRunning:
			ts.closeSegment(g, ts.last)
		case trace.GoRunnable, trace.GoWaiting:
			g.add(&g.acc, g.site, g.cat, dt)
		case trace.GoSyscall:
			g.add(&g.acc, g.site, g.cat, dt)
			if g.cat == attrCPU {
				g.running += dt // cgo
			}
		}
		g.state = trace.GoNotExist
	}

	work := func(g *attrG) bool {
		if !g.ran || g.hook || g.infra {
			return false
		}
		// A goroutine seen in own code is the program's whatever its
		// name: the name of one that predates the trace comes from its
		// first stack, which can be taken deep in package initialization
		// or the runtime.
		return g.own || !attrInfraEntry(g.entry) && !a.isHook(g.entry)
	}

	// Running time no sample landed in (short bursts between blocks) is
	// spread like the goroutine's own samples; a goroutine never sampled
	// falls back on the CPU profile, or on where it last blocked.
	var unsampled float64
	unsampledBy := make(map[int]*attrDurations)
	for _, g := range ts.gs {
		if !work(g) {
			continue
		}
		for s, d := range g.acc {
			if s == attrNoSite {
				// Waiting in code with no own frame (net/http's
				// connection loops between messages, an idle accept
				// loop) is infrastructure idling, or mirrors a wait of
				// own code that carries the cause (the http.Get that
				// inherits the network wait). Counting it would dilute
				// every share; its running and syscall time stay.
				idle := *d
				for _, st := range []int{attrNetwork, attrLock, attrChannel, attrSelect, attrSleep} {
					idle[st] = 0
				}
				d = &idle
			}
			a.addTime(s, d)
		}
		for fn, d := range g.depths {
			if d > a.depth[fn] {
				a.depth[fn] = d
			}
		}
		if len(g.hist) > 0 {
			ts.spreadByHist(g)
			continue
		}
		for s, d := range g.unsampled {
			u := unsampledBy[s]
			if u == nil {
				u = new(attrDurations)
				unsampledBy[s] = u
			}
			u.add(d)
			unsampled += d.sum()
		}
	}
	for _, g := range ts.gs {
		if work(g) {
			a.cpuNanos += max(0, g.running-g.dropped)
		}
	}
	var attributed float64
	for _, d := range a.time {
		attributed += d.sum()
	}
	switch {
	case unsampled == 0:
	case ts.samples == 0 && a.o.CPU != nil && ts.spreadByProfile(unsampled):
	default:
		// Say so only when it matters: a sleeping program has no
		// samples and nothing to place.
		if ts.samples == 0 && unsampled > 0.05*(attributed+unsampled) {
			a.warnf("the trace has no CPU samples (the CPU profiler was off while tracing, or the run was too short): on-CPU time is placed where each goroutine last blocked or started")
		}
		for s, d := range unsampledBy {
			a.addTime(s, d)
		}
	}

	a.wall = time.Duration(ts.last - ts.first)
	a.procs = len(ts.procs)
}

// spreadByHist spreads a goroutine's unsampled running time over its CPU
// samples.
func (ts *attrTrace) spreadByHist(g *attrG) {
	n := 0
	for _, c := range g.hist {
		n += c
	}
	for _, d := range g.unsampled {
		for state, v := range d {
			if v == 0 {
				continue
			}
			for smp, c := range g.hist {
				if smp.site == attrDropSite {
					g.dropped += v * float64(c) / float64(n)
					continue
				}
				st := state
				if st == attrCPU {
					st = smp.state
				}
				var add attrDurations
				add[st] = v * float64(c) / float64(n)
				ts.a.addTime(smp.site, &add)
			}
		}
	}
}

// spreadByProfile places running time that no trace CPU sample covers in
// proportion to the CPU profile's samples. It reports false when the
// profile has no usable samples.
func (ts *attrTrace) spreadByProfile(running float64) bool {
	w, total := ts.a.cpuWeights(ts.a.o.CPU)
	if !(total > 0) {
		return false
	}
	for s, d := range w {
		var scaled attrDurations
		for i, v := range d {
			scaled[i] = v / total * running
		}
		ts.a.addTime(s, &scaled)
	}
	return true
}
