package advise

import (
	"fmt"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/advise/internal/srcloop"
	"github.com/advisor-dev/advisor/analyze/report"
)

// loopGroup is the hot paths one loop repeats, with their combined share.
type loopGroup struct {
	kind  string
	at    repeat
	paths []report.Hotpath
	// shares holds each path's part of share.
	shares []float64
	share  float64
}

// repeat is where the code of a hot path is repeated: the loop that
// concurrency advice is about, or as much of it as advisor could see.
type repeat struct {
	fn, file string
	// line is the loop statement's line when loop is set; otherwise the
	// call site in caller, or the hot line itself.
	line int
	loop bool
	// caller names the function that calls the hot one when the loop, if
	// any, is there but was not seen ("" when there is no known caller).
	caller string
	// siteSeen says the call site in caller (fn, file, line) is known.
	siteSeen bool
	// choice says which loops stay sequential inside the chosen one.
	choice srcloop.Choice
}

// repeatOf finds the loop that repeats hot path h: the loop around its
// top call site in its caller; else, when the profile saw no call site,
// a loop in its caller (a hot path of its own) that calls it; else the
// loop around the hot line in h's own function. It returns false when the
// source shows that nothing repeats the code (the function runs once and
// has no loop around the hot line): concurrency has nothing to overlap.
func (m *model) repeatOf(h report.Hotpath, cpu bool) (repeat, bool) {
	stack := h.Stack
	if n := len(stack); n > 0 && stack[n-1] == h.Function {
		stack = stack[:n-1]
	}
	callerName := ""
	if n := len(stack); n > 0 {
		callerName = stack[n-1]
	}
	if isBenchmark(callerName) {
		callerName = ""
	}
	own := func(fn string) bool { return slices.Contains(stack, fn) && !isBenchmark(fn) }
	if len(h.Stack) == 0 {
		// No own-code stack recorded: any caller but the runtime's.
		own = func(fn string) bool { return !strings.HasPrefix(fn, "runtime.") && !isBenchmark(fn) }
	}
	calledOnce := false
	if caller, site, ok := m.ix.TopCallerFrom(h.Function, own); ok {
		loops, known := m.src.Around(site.File, site.Line)
		switch {
		case len(loops) > 0:
			ch := m.src.Choose(site.File, site.Line, loops, cpu)
			if cpu && srcloop.SequentialScan(ch.Loop.Node) {
				return repeat{}, false
			}
			return repeat{fn: caller, file: site.File, line: ch.Loop.Line, loop: true, choice: ch}, true
		case !known:
			return repeat{fn: caller, file: site.File, line: site.Line, caller: caller, siteSeen: true}, true
		}
		// The top caller calls it once, outside any loop: whatever
		// repeats the hot line is inside the function itself.
		calledOnce, callerName = true, ""
	}
	if callerName != "" {
		for _, c := range m.r.Hotpaths {
			if c.Function != callerName || c.File == "" {
				continue
			}
			if l, ok, _ := m.src.LoopCalling(c.File, c.Line, h.Function, cpu); ok {
				return repeat{fn: callerName, file: c.File, line: l.Line, loop: true}, true
			}
			break
		}
	}
	loops, known := m.src.Around(h.File, h.Line)
	if len(loops) > 0 {
		ch := m.src.Choose(h.File, h.Line, loops, cpu)
		if cpu && srcloop.SequentialScan(ch.Loop.Node) {
			return repeat{}, false // a scan: each step starts where the last ended
		}
		return repeat{fn: h.Function, file: h.File, line: ch.Loop.Line, loop: true, choice: ch}, true
	}
	if known && (callerName == "" || calledOnce) {
		return repeat{}, false
	}
	return repeat{fn: h.Function, file: h.File, line: h.Line, caller: callerName}, true
}

// outerRepeat finds, for hot path h whose repeating loop at rp cannot run
// concurrently, the nearest loop further up h's own-code call stack that
// can (its verdict is not dependent and it starts no goroutines): the
// loop over input files around a parser whose inner loops are a state
// machine. Each step climbs to the caller the profile saw most often; it
// stops at a call site whose source it cannot read.
func (m *model) outerRepeat(h report.Hotpath, rp repeat, cpu bool) (repeat, bool) {
	fn := rp.fn
	for range len(h.Stack) {
		callee := fn
		own := func(c string) bool { return c != callee && slices.Contains(h.Stack, c) && !isBenchmark(c) }
		caller, site, ok := m.ix.TopCallerFrom(callee, own)
		if !ok {
			return repeat{}, false
		}
		loops, known := m.src.Around(site.File, site.Line)
		if !known {
			return repeat{}, false
		}
		// Outermost first for CPU work (the most work per worker), the
		// innermost first for I/O (the loop that makes the calls).
		order := slices.Clone(loops)
		if !cpu {
			slices.Reverse(order)
		}
		for _, l := range order {
			v, ok := m.loopAt(site.File, l.Line)
			if !ok || v.Verdict == LoopDependent || v.AlreadyConcurrent || cpu && srcloop.SequentialScan(l.Node) {
				continue
			}
			ch := srcloop.Choice{Loop: l}
			for _, in := range loops {
				if in.Line > l.Line {
					ch.Inner = append(ch.Inner, in.Line)
				}
			}
			return repeat{fn: caller, file: site.File, line: l.Line, loop: true, choice: ch}, true
		}
		fn = caller
	}
	return repeat{}, false
}

// isBenchmark reports whether fn is a benchmark function or a closure in
// one (b.Run). Its loop is the harness's b.Loop or b.N, which repeats the
// work only to time it: running those iterations concurrently is no advice
// for the code, so concurrency advice never points there.
func isBenchmark(fn string) bool {
	name := fn[strings.LastIndex(fn, "/")+1:]
	_, name, _ = strings.Cut(name, ".")
	return strings.HasPrefix(name, "Benchmark")
}

// subject names the hot paths of g: "main.spin (main.go:7) and main.main
// (main.go:14)".
func (g *loopGroup) subject() (names string, plural bool) {
	var ws []string
	for _, h := range g.paths {
		ws = append(ws, where(h.Function, h.File, h.Line))
	}
	switch len(ws) {
	case 1:
		return ws[0], false
	case 2:
		return ws[0] + " and " + ws[1], true
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1], true
}

// idleCores returns how many cores serial CPU work could use, and false
// when fewer than half a core is idle (or that is unknown): then a worker
// pool cannot make CPU work faster.
func (m *model) idleCores() (float64, bool) {
	t, s := m.r.Target, m.r.Summary
	if t == nil || s == nil || t.GOMAXPROCS < 2 {
		return 0, false
	}
	// On a loaded machine the CPU samples count only what the OS gave;
	// the trace shows how many cores the program kept running.
	idle := float64(t.GOMAXPROCS) - max(s.CoresUsed, m.o.Model.Busy())
	if idle < 0.5 {
		return 0, false
	}
	return min(float64(t.GOMAXPROCS), 1+idle), true
}

// workers recommends a worker pool for the serial CPU work of g.
func (m *model) workers(g *loopGroup, pre precondition) candidate {
	t, s := m.r.Target, m.r.Summary
	n, _ := m.idleCores()
	subj, plural := g.subject()
	is, runs, it := "is", "runs", "it"
	if plural {
		is, runs, it = "are", "run", "them"
	}
	var lead string
	switch at := g.at; {
	case at.loop && len(at.choice.Inner) > 0:
		lead = fmt.Sprintf("The loop at %s repeats this work. If its iterations are independent (else those of the inner %s),", where(at.fn, at.file, at.line), innerLoops(at.choice.Inner))
	case at.loop:
		lead = fmt.Sprintf("The loop at %s repeats this work. If its iterations are independent,", where(at.fn, at.file, at.line))
	case at.siteSeen:
		lead = fmt.Sprintf("If the iterations of the loop in %s that calls %s are independent,", where(at.fn, at.file, at.line), it)
	case at.caller != "":
		lead = fmt.Sprintf("If the iterations of the loop in its caller %s that calls %s are independent,", at.caller, it)
	default:
		lead = fmt.Sprintf("advisor could not read the source to find the loop that repeats %s. If %s %s in a loop whose iterations are independent,", it, it, runs)
	}
	text := fmt.Sprintf(
		"%s %s CPU-bound (%s of the run) and %s serially: the program uses %.1f of %d cores. %s fan them out to a worker pool of runtime.GOMAXPROCS(0) goroutines (an errgroup.Group with g.SetLimit(runtime.GOMAXPROCS(0)), each goroutine writing only its own part of the result). No rule proved the iterations independent: check for shared writes and run the tests with -race.",
		subj, is, pct(clamp01(g.share)), runs, s.CoresUsed, t.GOMAXPROCS, lead)
	if pre.proven {
		text = fmt.Sprintf(
			"%s %s CPU-bound (%s of the run) and %s serially: the program uses %.1f of %d cores. %s Fan the iterations out to a worker pool of runtime.GOMAXPROCS(0) goroutines (an errgroup.Group with g.SetLimit(runtime.GOMAXPROCS(0)), or a semaphore channel and a sync.WaitGroup), each writing only its own part of the result; run the tests with -race.",
			subj, is, pct(clamp01(g.share)), runs, s.CoresUsed, t.GOMAXPROCS, fmt.Sprintf("The loop at %s repeats this work, and %s.", where(g.at.fn, g.at.file, g.at.line), pre.clause))
	}
	c := speedupCandidate(g.share, n, text)
	var fns []string
	for _, h := range g.paths {
		fns = append(fns, h.Function)
	}
	m.spreadOverCores(&c, fns, n)
	return c
}

// innerLoops names nested loops by line: "loop at line 21", "loops at
// lines 21, 24".
func innerLoops(lines []int) string {
	if len(lines) == 1 {
		return fmt.Sprintf("loop at line %d", lines[0])
	}
	ls := make([]string, len(lines))
	for i, l := range lines {
		ls[i] = fmt.Sprint(l)
	}
	return "loops at lines " + strings.Join(ls, ", ")
}

// goroutines recommends bounded goroutines for the serial I/O of g.
func (m *model) goroutines(g *loopGroup, pre precondition) candidate {
	subj, plural := g.subject()
	wait := "waits"
	if plural {
		wait = "wait"
	}
	var lead, keep string
	switch at := g.at; {
	case at.loop && pre.proven:
		lead = fmt.Sprintf(", in the loop at %s, and %s. Run them", where(at.fn, at.file, at.line), pre.clause)
	case at.loop:
		lead = fmt.Sprintf(", in the loop at %s. If that loop's iterations are independent, run them", where(at.fn, at.file, at.line))
		if ch := at.choice; ch.Pinned != "" {
			keep = fmt.Sprintf(" Keep the inner %s sequential within each iteration: its calls on %s, declared anew in each iteration, must stay in order (writes to one file or stream are ordered).", innerLoops(ch.Inner), ch.Pinned)
		}
	case at.siteSeen:
		lead = fmt.Sprintf(". If %s makes these calls in a loop of independent iterations, run them", where(at.fn, at.file, at.line))
	case at.caller != "":
		lead = fmt.Sprintf(". If its caller %s makes these calls in a loop of independent iterations, run them", at.caller)
	default:
		lead = ". advisor could not read the source to find the loop that repeats the wait: if it sits in a loop of independent iterations, run them"
	}
	var network, syscall float64
	for _, h := range g.paths {
		network += h.Breakdown[report.StateNetwork]
		syscall += h.Breakdown[report.StateSyscall]
	}
	if syscall > network {
		keep += " File system calls overlap less well than network waits (they share one disk and its journal): measure the gain, e.g. with --verify."
	}
	k := float64(m.o.Limit)
	c := speedupCandidate(g.share, k, fmt.Sprintf(
		"%s %s on I/O for %s of the run, one call at a time%s concurrently with bounded concurrency: an errgroup.Group with g.SetLimit(%d), one g.Go per item, each result stored by index in a preallocated slice; with %d calls in flight the wait shrinks about %d×.%s",
		subj, wait, pct(clamp01(g.share)), lead, m.o.Limit, m.o.Limit, m.o.Limit, keep))
	var fns []string
	for _, h := range g.paths {
		fns = append(fns, h.Function)
	}
	m.overlapWaits(&c, fns, k)
	return c
}
