package advise

import (
	"fmt"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
)

// fromFindings turns hot findings into recommendations, one per kind and place.
func (m *model) fromFindings() []candidate {
	type key struct {
		kind, file string
		line       int
	}
	byKey := map[key]int{}
	var cs []candidate
	for i, f := range m.r.Findings {
		if f.Recommendation == report.KindGoroutines && f.Function != "" {
			// One voice: the measured view wins over the rule's shape.
			if n := m.ioInFlight(f.Function); n > concurrentIO && !strings.Contains(f.Message, "measured:") {
				m.r.Findings[i].Message += fmt.Sprintf(" (measured: this I/O already runs %.1f calls at a time, so more goroutines will not overlap more; not recommended)", n)
			}
		}
		if m.loopVoice(&m.r.Findings[i]) {
			continue // the loop analysis says the concurrency cannot work
		}
		f = m.r.Findings[i]
		p := shareOr(f.HotShare, 0)
		if p < m.o.MinShare && !(f.Recommendation == report.KindIterate && m.maxDepth(f.Function) >= deepRecursion) {
			continue
		}
		id := findingID(f)
		k := key{f.Recommendation, f.File, f.Line}
		if f.Recommendation == report.KindGoroutines && f.Function != "" {
			// The share of sequential I/O is all the waiting below its
			// function: two loops of one function share it, and one
			// recommendation for both keeps it from counting twice.
			k = key{kind: f.Recommendation, file: f.Function}
		}
		if i, ok := byKey[k]; ok {
			cs[i].rec.Findings = append(cs[i].rec.Findings, id)
			cs[i].rec.Text += fmt.Sprintf(" The same holds for the loop at %s:%d: %s.", f.File, f.Line, f.Message)
			continue
		}
		c, ok := m.fromFinding(f, p)
		if !ok {
			continue
		}
		c.rec.Kind = f.Recommendation
		c.rec.Function, c.rec.File, c.rec.Line = f.Function, f.File, f.Line
		c.rec.Findings = append(c.rec.Findings, id)
		byKey[k] = len(cs)
		cs = append(cs, c)
	}
	return cs
}

// loopVoice makes a concurrency finding (goroutines, workers) agree with
// the loop analysis the advice uses: on a loop it finds dependent, the
// finding says why and makes no recommendation (it returns true); on a
// loop whose output or reductions must keep their order, the finding says
// so instead of calling the iterations plainly independent.
func (m *model) loopVoice(f *report.Finding) bool {
	if f.Recommendation != report.KindGoroutines && f.Recommendation != report.KindWorkers || strings.Contains(f.Message, "loop analysis:") {
		return false
	}
	l, ok := m.loopContaining(f.File, f.Line)
	if !ok {
		return false
	}
	switch l.Verdict {
	case LoopDependent:
		f.Message += fmt.Sprintf(" (advisor's loop analysis: %s, so the iterations cannot run at once; not recommended)", l.Reason)
		return true
	case LoopOrdered:
		f.Message += fmt.Sprintf(" (advisor's loop analysis: %s: the calls can run concurrently, what depends on the order runs afterwards in order)", l.Reason)
	case LoopReduction:
		f.Message += fmt.Sprintf(" (advisor's loop analysis: the loop %s: each goroutine keeps a partial result)", l.Reason)
	}
	return false
}

// waitsInOrder reports whether the waits of hot path h happen under a
// call in loop l of function fn that is itself one of the loop's ordered
// effects (on one of l.OrderLines): that call stays in the in-order part,
// so its waits cannot overlap.
func (m *model) waitsInOrder(h report.Hotpath, fn string, l Loop) bool {
	if l.Verdict != LoopOrdered || len(l.OrderLines) == 0 {
		return false
	}
	line := 0
	if h.Function == fn {
		line = h.Line
	} else if i := slices.Index(h.Stack, fn); i >= 0 && i+1 < len(h.Stack) {
		callee := h.Stack[i+1]
		if _, site, ok := m.ix.TopCallerFrom(callee, func(c string) bool { return c == fn }); ok && site.File == l.File {
			line = site.Line
		}
	}
	return line >= l.Line && line <= l.EndLine && slices.Contains(l.OrderLines, line)
}

// findingIndex returns the index of f in the report's findings.
func (m *model) findingIndex(f report.Finding) int {
	return slices.IndexFunc(m.r.Findings, func(g report.Finding) bool { return findingID(g) == findingID(f) })
}

// fromFinding estimates the gain of fixing one finding with hot share p.
func (m *model) fromFinding(f report.Finding, p float64) (candidate, bool) {
	at := where(f.Function, f.File, f.Line)
	why := f.Message
	switch f.Recommendation {
	case report.KindGoroutines:
		if n := m.ioInFlight(f.Function); n > concurrentIO {
			return candidate{}, false // already concurrent: more goroutines will not overlap more
		}
		k := float64(m.o.Limit)
		iters := "the independent iterations"
		l, inLoop := m.loopContaining(f.File, f.Line)
		if inLoop && (l.Verdict == LoopOrdered || l.Verdict == LoopReduction) {
			iters = "the iterations"
		}
		var fns []string
		var inOrder []report.Hotpath
		moved := 0.0
		for _, h := range m.r.Hotpaths {
			if h.Class != report.ClassIO || h.Function != f.Function && !slices.Contains(h.Stack, f.Function) {
				continue
			}
			if inLoop && m.waitsInOrder(h, f.Function, l) {
				inOrder = append(inOrder, h)
				continue
			}
			fns = append(fns, h.Function)
			moved += ioShare(h)
		}
		if len(inOrder) > 0 {
			// The waits under a call that is itself an ordered effect
			// (xxhsum: printHash hashes and prints) stay in order: only
			// the rest can overlap.
			kept := 0.0
			for _, h := range inOrder {
				kept += ioShare(h)
			}
			if i := m.findingIndex(f); i >= 0 && kept > moved && !strings.Contains(f.Message, "loop analysis: the waits") {
				m.r.Findings[i].Message += fmt.Sprintf(" (advisor's loop analysis: most of the waits are in %s, which the loop must run in order (%s); to overlap them, split it into its I/O, run concurrently, and its ordered part)", where(inOrder[0].Function, inOrder[0].File, inOrder[0].Line), l.Reason)
			}
			p = min(p, moved)
			if p < m.o.MinShare {
				return candidate{}, false
			}
		}
		c := speedupCandidate(p, k, fmt.Sprintf(
			"run %s at %s concurrently: %s. Use bounded concurrency: an errgroup.Group with g.SetLimit(%d), one g.Go per item, each result stored by index in a preallocated slice. The loop waits on I/O for %s of the run, one call at a time; with %d calls in flight that wait shrinks about %d×.",
			iters, at, why, m.o.Limit, pct(p), m.o.Limit, m.o.Limit))
		m.overlapWaits(&c, fns, k)
		return c, true
	case report.KindWorkers:
		// More goroutines cannot speed up CPU work when the cores are
		// busy; the share of the line is CPU time.
		n, ok := m.idleCores()
		if !ok {
			return candidate{}, false
		}
		c := speedupCandidate(p, n, fmt.Sprintf(
			"fan the iterations of the loop at %s out to a worker pool of runtime.GOMAXPROCS(0) goroutines: %s. The program uses %.1f of %d cores; an errgroup.Group with g.SetLimit(runtime.GOMAXPROCS(0)), each goroutine writing only its own part of the result. The code there takes %s of the run.",
			at, why, m.r.Summary.CoresUsed, m.r.Target.GOMAXPROCS, pct(p)))
		m.spreadOverCores(&c, []string{f.Function}, n)
		return c, true
	case report.KindIterate:
		depth := m.maxDepth(f.Function)
		grow := clamp01(m.ix.StackGrowth(f.Function) * m.cpuFrac)
		return m.iterate(f.Function, at, depth, grow, why), true
	}
	r, ok := removed[f.Rule]
	if !ok {
		r, ok = removed[f.Recommendation]
	}
	if !ok {
		r = 0.3 // an unknown kind: assume a modest fix
	}
	gain := p * r
	extra := ""
	if f.Category == report.CategoryAlloc {
		// The garbage this line allocates costs GC time too, in proportion
		// to its part of all allocation. The path's own share already holds
		// the GC work its goroutine did (assists), so only GC outside the
		// path counts on top: never more than the rest of the run.
		if gc := m.gcShare(); gc > 0 && m.ix != nil && m.ix.alloc > 0 {
			part := float64(m.ix.allocAt(f.File, f.Line)) / float64(m.ix.alloc)
			gain = r * min(1, p+gc*part*(1-p))
			if part > 0 {
				extra = fmt.Sprintf(" It does %s of the program's allocation, and GC takes %s of the run.", pct(part), pct(gc))
			}
		}
	}
	text := kindText(f, at, why) + fmt.Sprintf(" The code there takes %s of the run.", pct(p)) + extra
	if f.Category == report.CategoryRecursion && f.Function != "" {
		// The whole function's work shrinks: ask the graph what the run
		// would take, wherever the function ran.
		// Rounded: 1/(1-0.95) is 19.999999999999996 in floating point,
		// and the cap must compare equal.
		k := min(round3(1/(1-r)), whatIfCap)
		if s, ok := m.whatIf([]string{f.Function}, k); ok && plausible(s, gain) {
			if k >= whatIfCap && f.Rule == "overlaprecursion" {
				if c, ok := m.beyondCap(f.Function, p, text); ok {
					return c, true
				}
			}
			s = min(s, amdahlRemoved(gain))
			text += fmt.Sprintf(" With %s %s faster, the run's critical path shrinks %s (a what-if over the trace)%s.", f.Function, times(k), times(s), capped(k))
			return candidate{rec: report.Recommendation{Text: text, EstimatedSpeedup: ptr(s)}, gain: 1 - 1/s}, true
		}
	}
	return candidate{rec: report.Recommendation{Text: text, EstimatedSpeedup: ptr(amdahlRemoved(gain))}, gain: gain}, true
}

// kindText says what to change where, why (the rule's message), and the
// concrete Go form of the fix.
func kindText(f report.Finding, at, why string) string {
	switch f.Recommendation {
	case report.KindCache:
		if f.Category == report.CategoryRecursion {
			return fmt.Sprintf("memoize %s: %s. Keep a memo map keyed by its arguments (a map[int]int for a func(int) int), checked before recursing and filled before returning, or compute bottom-up in a loop: exponential work becomes linear.", at, why)
		}
		return fmt.Sprintf("cache the result computed at %s: %s. Compute it once: a map keyed by the inputs, or sync.OnceValue for a single value.", at, why)
	case report.KindHoist:
		return fmt.Sprintf("hoist the loop-invariant work at %s out of the loop: %s. Compute it once before the loop and reuse the value.", at, why)
	case report.KindLookupOnce:
		return fmt.Sprintf("look the value up once at %s: %s. Write v, ok := m[k] once, then reuse v.", at, why)
	case report.KindSet:
		return fmt.Sprintf("replace the linear search at %s with a set: %s. Build a map[T]struct{} once before the loop and test membership with _, ok := set[x].", at, why)
	case report.KindBuilder:
		return fmt.Sprintf("build the string at %s with a strings.Builder: %s. Call b.WriteString in the loop and b.String() once after it (or append with strconv / fmt.Appendf into one []byte).", at, why)
	case report.KindPrealloc:
		return fmt.Sprintf("preallocate at %s: %s. Use make([]T, 0, n) (or make(map[K]V, n)) before the loop, so append does not regrow and copy.", at, why)
	case report.KindReuse:
		return fmt.Sprintf("reuse the buffer allocated at %s: %s. Allocate it once outside the loop and reset it with buf = buf[:0], or take it from a sync.Pool.", at, why)
	case report.KindStream:
		return fmt.Sprintf("stream the input read at %s: %s. Process it through a bufio.Scanner (or the io.Reader directly) instead of reading it all into memory.", at, why)
	}
	return fmt.Sprintf("fix %s: %s.", at, why)
}

// iterate recommends turning deep recursion into iteration.
func (m *model) iterate(fn, at string, depth int, grow float64, why string) candidate {
	var b strings.Builder
	fmt.Fprintf(&b, "replace the recursion in %s with a loop over an explicit stack (a slice used as a stack) or an iter.Seq", at)
	if why != "" {
		fmt.Fprintf(&b, ": %s.", why)
	} else {
		b.WriteString(":")
	}
	if depth > 0 {
		fmt.Fprintf(&b, " recursion reached depth %d in the samples, and the depth follows the input, so a larger input can overflow the stack;", depth)
	}
	if grow > 0 {
		fmt.Fprintf(&b, " %s of the run goes to growing goroutine stacks (runtime.newstack/morestack).", pct(grow))
	} else {
		b.WriteString(" no stack-growth cost was measured, so the gain is safety, not speed.")
	}
	c := candidate{rec: report.Recommendation{Kind: report.KindIterate, Function: fn, Text: b.String()}, gain: grow, risk: depth >= deepRecursion}
	if grow > 0 {
		c.rec.EstimatedSpeedup = ptr(amdahlRemoved(grow))
	}
	return c
}

// maxDepth is the deepest recursion of fn seen by the attribution.
func (m *model) maxDepth(fn string) int {
	d := 0
	for _, h := range m.r.Hotpaths {
		if h.Function == fn {
			d = max(d, h.MaxDepth)
		}
	}
	return d
}

// covered reports whether a candidate of one of kinds already applies to
// hot path h (at its function or one of its callers).
func covered(cs []candidate, h report.Hotpath, kinds ...string) bool {
	for _, c := range cs {
		if slices.Contains(kinds, c.rec.Kind) && (c.rec.Function == h.Function || slices.Contains(h.Stack, c.rec.Function)) {
			return true
		}
	}
	return false
}

// fromHotpaths recommends by the class of each hot path that no finding
// already covers: workers for serial CPU work on idle cores, goroutines for
// I/O waited on one call at a time, iteration for deep recursion. Hot paths
// repeated by the same loop get one recommendation with their combined
// share, so that two estimates never count the same loop twice.
func (m *model) fromHotpaths(have []candidate) []candidate {
	var cs []candidate
	var groups []*loopGroup
	add := func(kind string, h report.Hotpath, p float64, rp repeat) {
		for _, g := range groups {
			if g.kind == kind && g.at.fn == rp.fn && g.at.file == rp.file && g.at.line == rp.line {
				g.paths, g.shares, g.share = append(g.paths, h), append(g.shares, p), g.share+p
				return
			}
		}
		groups = append(groups, &loopGroup{kind: kind, at: rp, paths: []report.Hotpath{h}, shares: []float64{p}, share: p})
	}
	for _, h := range m.r.Hotpaths {
		if h.Share < m.o.MinShare {
			continue
		}
		// Recursion (MaxDepth > 0) that is deep, or that measurably grows
		// its stack, is worth an explicit stack.
		grow := clamp01(m.ix.StackGrowth(h.Function) * m.cpuFrac)
		if (h.MaxDepth >= deepRecursion || h.MaxDepth > 0 && grow >= m.o.MinShare) && !covered(append(have, cs...), h, report.KindIterate) {
			c := m.iterate(h.Function, where(h.Function, h.File, h.Line), h.MaxDepth, grow, "")
			c.rec.File, c.rec.Line = h.File, h.Line
			cs = append(cs, c)
		}
		switch h.Class {
		case report.ClassCPU:
			if covered(have, h, reduceWork...) {
				continue
			}
			if _, ok := m.idleCores(); !ok || covered(have, h, report.KindWorkers) {
				continue // cores are busy (see processes), or a finding said where
			}
			if rp, ok := m.repeatOf(h, true); ok {
				add(report.KindWorkers, h, cpuShare(h), rp)
			} else if rp, ok := m.outerRepeat(h, repeat{fn: h.Function}, true); ok {
				// Nothing in or around the function repeats it concurrently
				// (a scan, or a single call): a loop further up may.
				add(report.KindWorkers, h, cpuShare(h), rp)
			}
		case report.ClassIO:
			if covered(have, h, report.KindGoroutines) {
				continue
			}
			p := ioShare(h)
			if h.InFlight > concurrentIO {
				continue // already concurrent: none() says what limits it
			}
			if rp, ok := m.repeatOf(h, false); ok {
				add(report.KindGoroutines, h, p, rp)
			} else if rp, ok := m.outerRepeat(h, repeat{fn: h.Function}, false); ok {
				add(report.KindGoroutines, h, p, rp)
			}
		}
	}
	// The hot paths of a loop whose iterations depend on each other move
	// to the nearest loop up their call stacks that allows concurrency (a
	// parser's state machine inside a loop over input files): the groups
	// they join or start are examined in turn, so a path can climb several
	// callers. The precondition depends only on the loop, so a group
	// already examined stays valid when a lifted path joins it.
	pres := make([]precondition, 0, len(groups))
	var dropped []precondition
	for i := 0; i < len(groups); i++ {
		g := groups[i]
		pre := m.concurrencyPrecondition(g)
		if !pre.drop {
			pre = m.dropInOrder(g, pre, add)
		}
		pres = append(pres, pre)
		if !pre.drop {
			continue
		}
		if len(g.paths) == 0 {
			dropped = append(dropped, pre)
			continue
		}
		lifted := 0
		for j, h := range g.paths {
			if rp, ok := m.outerRepeat(h, g.at, g.kind == report.KindWorkers); ok {
				add(g.kind, h, g.shares[j], rp)
				lifted++
			}
		}
		if lifted < len(g.paths) {
			dropped = append(dropped, pre)
		}
	}
	m.noteDropped(dropped)
	for i, g := range groups {
		pre := pres[i]
		if pre.drop {
			continue
		}
		var c candidate
		if g.kind == report.KindWorkers {
			c = m.workers(g, pre)
		} else {
			c = m.goroutines(g, pre)
		}
		if !pre.proven {
			c.unproven = true
			c.rec.Text = "unverified: " + c.rec.Text
		}
		c.rec.Kind, c.rec.Function, c.rec.File, c.rec.Line = g.kind, g.at.fn, g.at.file, g.at.line
		cs = append(cs, c)
	}
	return cs
}

// overlappable returns the goroutines findings, the static evidence of
// where unattributed waits come from, except those on loops the loop
// analysis finds dependent (counted in dependent).
func (m *model) overlappable() (seq []report.Finding, dependent int) {
	for _, f := range m.r.Findings {
		if f.Recommendation != report.KindGoroutines {
			continue
		}
		if l, ok := m.loopContaining(f.File, f.Line); ok && l.Verdict == LoopDependent {
			dependent++
			continue
		}
		seq = append(seq, f)
	}
	return seq, dependent
}

// ioAttributed reports whether the hot paths hold most of the run's I/O
// share io: then the waits have a place in the code, and the advice on
// those places (or the note on why there is none) speaks for them.
func (m *model) ioAttributed(io float64) bool {
	held := 0.0
	for _, h := range m.r.Hotpaths {
		held += ioShare(h)
	}
	return held >= io/2
}

// dependentIO reports that every goroutines finding is on a dependent
// loop: the only evidence of where the waits come from says they cannot
// overlap, so the program-level goroutines advice would contradict it.
func (m *model) dependentIO() bool {
	seq, dependent := m.overlappable()
	return len(seq) == 0 && dependent > 0
}

// dropInOrder takes out of g the hot paths whose work sits under a call
// that is one of the loop's ordered effects (xxhsum: printHash reads,
// hashes and prints): run concurrently, that call would still run in
// order, so the advice must not count it. They move to a loop further up
// the stack if one allows it. When no path is left, the returned
// precondition drops g and says why.
func (m *model) dropInOrder(g *loopGroup, pre precondition, add func(string, report.Hotpath, float64, repeat)) precondition {
	l, ok := m.loopAt(g.at.file, g.at.line)
	if !g.at.loop || !ok {
		return pre
	}
	var paths []report.Hotpath
	var shares []float64
	var first *report.Hotpath
	for i, h := range g.paths {
		if !m.waitsInOrder(h, g.at.fn, l) {
			paths, shares = append(paths, h), append(shares, g.shares[i])
			continue
		}
		if first == nil {
			first = &g.paths[i]
		}
		if rp, ok := m.outerRepeat(h, g.at, g.kind == report.KindWorkers); ok {
			add(g.kind, h, g.shares[i], rp)
		}
	}
	if first == nil {
		return pre
	}
	g.paths, g.shares, g.share = paths, shares, 0
	for _, s := range shares {
		g.share += s
	}
	why := fmt.Sprintf("no %s advice for the loop at %s on the work in %s, which the loop must run in order (%s); to run it concurrently, split it into its computation or I/O, run concurrently, and its ordered part", g.kind, where(g.at.fn, g.at.file, g.at.line), where(first.Function, first.File, first.Line), l.Reason)
	if len(paths) > 0 {
		// The rest of the loop's work may still run concurrently; the note
		// says why the biggest part is not counted.
		if !slices.Contains(m.r.Errors, why) {
			m.r.Errors = append(m.r.Errors, why)
		}
		return pre
	}
	return precondition{drop: true, why: why}
}

// fromProgram makes program-level recommendations: scale out when every
// core is busy, GC tuning when GC is expensive, PGO for CPU-bound programs.
func (m *model) fromProgram(have []candidate) []candidate {
	t, s := m.r.Target, m.r.Summary
	if s == nil {
		return nil
	}
	var cs []candidate
	c := clamp01(s.Breakdown[report.StateCPU] + s.Breakdown[report.StateGC])
	used := max(s.CoresUsed, m.o.Model.Busy())
	if s.Class == report.ClassCPU && t != nil && t.GOMAXPROCS > 0 && used >= 0.85*float64(t.GOMAXPROCS) {
		top := "the hot paths"
		var fn, file string
		var line int
		for _, h := range m.r.Hotpaths {
			if h.Class == report.ClassCPU {
				top = fmt.Sprintf("%s, %s of the run", where(h.Function, h.File, h.Line), pct(h.Share))
				fn, file, line = h.Function, h.File, h.Line
				break
			}
		}
		sc := speedupCandidate(c, 2, fmt.Sprintf(
			"%s (%.2f cores used on average of GOMAXPROCS=%d): more goroutines cannot make CPU work faster. Reduce the work first, starting with %s, then scale out: shard the input across processes or machines, each taking 1/N of it. The estimate is for doubling the capacity.",
			busy(t.GOMAXPROCS), used, t.GOMAXPROCS, top))
		sc.rec.Kind, sc.rec.Function, sc.rec.File, sc.rec.Line = report.KindProcesses, fn, file, line
		cs = append(cs, sc)
	}
	if gc := m.gcShare(); gc >= highGC {
		var ids, places []string
		for _, f := range m.r.Findings {
			if f.Category == report.CategoryAlloc && shareOr(f.HotShare, 0) >= m.o.MinShare {
				ids = append(ids, findingID(f))
				places = append(places, f.File+":"+fmt.Sprint(f.Line))
			}
		}
		first := "cut allocation in the hot loops first (make([]T, 0, n), buffer reuse, sync.Pool)"
		if len(places) > 0 {
			first = "fix the allocation findings at " + strings.Join(places, ", ") + " first"
		}
		// Doubling GOGC roughly halves the number of collections.
		gain := gc / 2
		cs = append(cs, candidate{gain: gain, rec: report.Recommendation{
			Kind:             report.KindReuse,
			Text:             fmt.Sprintf("garbage collection takes %s of the run: %s, then trade memory for GC time with GOGC=200, or set GOMEMLIMIT to the memory you can spare (GOGC=off only together with a GOMEMLIMIT).", pct(gc), first),
			EstimatedSpeedup: ptr(amdahlRemoved(gain)),
			Findings:         ids,
		}})
	}
	// A server's requests (AccountingRequests) already run one goroutine
	// each; their I/O with no own-code place is net/http reading the
	// request and writing the response, not a loop to make concurrent.
	if io := s.Breakdown[report.StateNetwork] + s.Breakdown[report.StateSyscall]; io > 0 && s.Accounting != report.AccountingRequests &&
		!slices.ContainsFunc(have, func(c candidate) bool { return c.rec.Kind == report.KindGoroutines }) && m.ioInFlight("") <= concurrentIO && !m.dependentIO() && !m.ioAttributed(io) {
		// The waits were measured but not attributed to a place in the
		// target's own code (e.g. they happen in library goroutines): say
		// so rather than pretend nothing is worth doing.
		// A static finding of sequential I/O is then the best evidence of
		// where the waits come from.
		seq, _ := m.overlappable()
		loop := "Find the loop that makes those calls; if its iterations are independent, run them"
		if len(seq) > 0 {
			f := seq[0]
			loop = fmt.Sprintf("The likely place is the loop at %s: %s. Run its iterations", where(f.Function, f.File, f.Line), f.Message)
		}
		k := float64(m.o.Limit)
		sc := speedupCandidate(io, k, fmt.Sprintf(
			"the program waits on network or file I/O for %s of the run, mostly one call at a time, but no place in its own code was attributed the wait. %s concurrently with bounded concurrency: an errgroup.Group with g.SetLimit(%d), one g.Go per item, each result stored by index in a preallocated slice.",
			pct(io), loop, m.o.Limit))
		sc.rec.Kind = report.KindGoroutines
		if len(seq) > 0 {
			sc.rec.Function, sc.rec.File, sc.rec.Line = seq[0].Function, seq[0].File, seq[0].Line
			for _, f := range seq {
				sc.rec.Findings = append(sc.rec.Findings, findingID(f))
			}
		}
		cs = append(cs, sc)
	}
	if s.Class == report.ClassCPU && c*pgoGainHigh >= m.o.MinGain {
		sc := speedupCandidate(c, 1/(1-pgoGain), fmt.Sprintf(
			"the program is CPU-bound (%s of the run on CPU): try profile-guided optimization. Copy the CPU profile to default.pgo in the main package (go build then uses it; or build with -pgo=cpu.pprof). Typical gains are 2–7%%; the estimate is unverified until measured A/B.",
			pct(c)))
		sc.rec.Kind = report.KindPGO
		// PGO is worth trying on its upper estimate.
		sc.gain = c * pgoGainHigh
		cs = append(cs, sc)
	}
	return cs
}

// gcShare is the share of the run spent collecting garbage: the trace's
// measure, or the profile's when larger (background mark workers are not
// the target's goroutines, but their CPU time is the program's cost).
func (m *model) gcShare() float64 {
	var gc float64
	if m.r.Summary != nil {
		gc = m.r.Summary.Breakdown[report.StateGC]
	}
	return max(gc, m.profileShare(m.ix.gcValue()))
}
