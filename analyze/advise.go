package analyze

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

// AdviseOptions tune Advise. The zero value uses the defaults documented on
// each field.
type AdviseOptions struct {
	// All keeps findings on cold code in the report (the CLI's --all).
	All bool
	// MinShare is the hot share below which a finding is cold
	// (DefaultMinShare when 0).
	MinShare float64
	// MinGain is the whole-program fraction of wall time a recommendation
	// must save to be worth making (DefaultMinGain when 0).
	MinGain float64
	// Limit is the concurrency bound suggested for I/O (DefaultLimit when 0).
	Limit int
	// ModuleDir is the target module's root directory, used to make the
	// profile's absolute file names comparable with findings' relative ones,
	// and to read the source around hot lines: concurrency advice names the
	// loop that repeats the hot code only when it has seen that loop.
	ModuleDir string
	// Lengthen says how to make a too-short run longer; the default suits a
	// program run by advisor. A benchmark run would say "raise -benchtime".
	Lengthen string
	// Loops are the dependence verdicts of the target's loops (from the
	// rules): concurrency advice is made for a loop only when they allow
	// it, and is hedged and ranked last without one.
	Loops []Loop
	// Model is the run's model from AttributeModel: with it, estimates are
	// what-ifs over the run's happens-before graph (the function made k
	// times faster and the critical path recomputed); without it, Amdahl's
	// law over the shares.
	Model *Model
}

// DefaultLengthen is AdviseOptions.Lengthen for a program run by advisor.
const DefaultLengthen = "give the program more input or work (arguments after --), profile a benchmark with --bench, or, for a server, collect longer with --seconds"

// Defaults of AdviseOptions.
const (
	DefaultMinShare = 0.01
	DefaultMinGain  = 0.05
	DefaultLimit    = 8
)

func (o AdviseOptions) withDefaults() AdviseOptions {
	if o.MinShare <= 0 {
		o.MinShare = DefaultMinShare
	}
	if o.MinGain <= 0 {
		o.MinGain = DefaultMinGain
	}
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.Lengthen == "" {
		o.Lengthen = DefaultLengthen
	}
	return o
}

// Thresholds of the model. They are deliberately conservative: an estimate
// that promises less than the rewrite delivers costs nothing; one that
// promises more costs the user's trust.
const (
	// A run shorter than this, or a CPU-bound run with fewer samples, gets
	// advice with a short-run caveat (advisor samples at 500 Hz, so 0.2 s
	// of one busy core is 100 samples); below the refuse thresholds there
	// is too little evidence for any advice.
	minWallSeconds    = 0.5
	minCPUSamples     = 100
	refuseWallSeconds = 0.05
	refuseCPUSamples  = 25
	// Depth from which recursion is worth turning into iteration.
	deepRecursion = 1000
	// A GC share above this makes GC tuning a recommendation of its own.
	highGC = 0.10
	// I/O whose waits overlap more than this (goroutines waiting at once,
	// on average) is already concurrent.
	concurrentIO = 1.5
	// PGO: typical published gains on CPU time; the estimate uses the
	// middle, the threshold the upper end.
	pgoGain, pgoGainHigh = 0.045, 0.07
)

// removed is, per rule (or per kind when the rule is unknown), the fraction
// of the hot share a fix removes, by the shape of the waste: exponential
// recomputation and O(n·m) searches almost entirely, growth copying and
// duplicate lookups only partly.
var removed = map[string]float64{
	"overlaprecursion":    0.95,
	"hoistcompile":        0.9,
	"hoistpure":           0.9,
	report.KindSet:        0.9,
	report.KindBuilder:    0.8,
	report.KindHoist:      0.9,
	report.KindCache:      0.5,
	report.KindLookupOnce: 0.3,
	report.KindPrealloc:   0.3,
	report.KindReuse:      0.3,
	report.KindStream:     0.1,
}

// reduceWork lists the kinds that remove work; a CPU hot path that one of
// them covers gets that advice instead of more cores.
var reduceWork = []string{report.KindCache, report.KindHoist, report.KindSet, report.KindBuilder}

// Advise joins r's findings with the measured profile and fills in the
// recommendations: it sets every finding's HotShare, sorts the findings by
// it (dropping cold ones unless o.All), and replaces r.Recommendations with
// advice ranked by estimated whole-program speedup, a single "none" when
// nothing is worth doing. cpu may be nil when only the trace was collected.
// Without any measurement (no profile and no hot paths) findings keep a nil
// HotShare and no recommendation is made.
func Advise(r *report.Report, cpu *profile.Profile, o AdviseOptions) error {
	if r == nil {
		return errors.New("advise: nil report")
	}
	o = o.withDefaults()
	var ix *SampleIndex
	if cpu != nil {
		var err error
		if ix, err = IndexProfile(cpu, o.ModuleDir); err != nil {
			return fmt.Errorf("advise: %w", err)
		}
	}
	m := newModel(r, ix, o)
	if !m.measured {
		sortFindings(r.Findings)
		r.Recommendations = []report.Recommendation{}
		return nil
	}
	for i := range r.Findings {
		s := m.findingShare(&r.Findings[i])
		r.Findings[i].HotShare = &s
	}
	sortFindings(r.Findings)
	r.Recommendations = m.recommend()
	if short, _ := m.tooShort(); short != "" && !slices.Contains(r.Errors, short) {
		r.Errors = append(r.Errors, short)
	}
	if !o.All {
		// Cold findings go, except those a recommendation cites.
		cited := map[string]bool{}
		for _, rec := range r.Recommendations {
			for _, id := range rec.Findings {
				cited[id] = true
			}
		}
		r.Findings = slices.DeleteFunc(r.Findings, func(f report.Finding) bool {
			return f.HotShare != nil && *f.HotShare < o.MinShare && !cited[findingID(f)]
		})
	}
	if r.Findings == nil {
		r.Findings = []report.Finding{}
	}
	return nil
}

// findingID names a finding in Recommendation.Findings: "rule@file:line".
func findingID(f report.Finding) string { return fmt.Sprintf("%s@%s:%d", f.Rule, f.File, f.Line) }

// sortFindings orders findings by hot share (unknown last), then position.
func sortFindings(fs []report.Finding) {
	slices.SortStableFunc(fs, func(a, b report.Finding) int {
		if c := cmp.Compare(shareOr(b.HotShare, -1), shareOr(a.HotShare, -1)); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Rule, b.Rule))
	})
}

func shareOr(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

// model holds what the estimates are computed from.
type model struct {
	r  *report.Report
	ix *SampleIndex
	o  AdviseOptions
	// measured says whether anything was measured (profile or hot paths).
	measured bool
	// cpuFrac converts a fraction of the CPU profile into a share of
	// the run: the on-CPU part of the breakdown (1 without one).
	cpuFrac float64
	// src reads the target's source to find the loops around hot lines.
	src *sourceLoops
}

func newModel(r *report.Report, ix *SampleIndex, o AdviseOptions) *model {
	m := &model{r: r, ix: ix, o: o, cpuFrac: 1, src: newSourceLoops(o.ModuleDir)}
	m.measured = (ix != nil && ix.Total > 0) || len(r.Hotpaths) > 0 || r.Summary != nil
	if r.Summary != nil && breakdownTotal(r.Summary.Breakdown) > 0 {
		// An empty breakdown measured nothing: the profile's own
		// fractions are then the best shares there are.
		b := r.Summary.Breakdown
		m.cpuFrac = clamp01(b[report.StateCPU] + b[report.StateGC])
	}
	return m
}

// tooShort returns why the run is too short to trust, or "": refuse says
// there is too little evidence for any advice, otherwise the advice stands
// with why as a caveat.
func (m *model) tooShort() (why string, refuse bool) {
	t := m.r.Target
	if t == nil || t.WallSeconds <= 0 {
		return "", false
	}
	// The sample count matters where the CPU profile is the evidence: a
	// CPU-bound program, or no usable breakdown.
	cpuBound := m.r.Summary == nil || m.r.Summary.Class == report.ClassCPU || breakdownTotal(m.r.Summary.Breakdown) <= 0
	samples := -1
	if cpuBound && m.ix != nil {
		samples = int(m.ix.Samples)
	}
	switch {
	case t.WallSeconds < refuseWallSeconds:
		return fmt.Sprintf("the run took %.2fs, too short to measure reliably: %s", t.WallSeconds, m.o.Lengthen), true
	case samples >= 0 && samples < refuseCPUSamples:
		return fmt.Sprintf("the CPU profile has only %d samples (%.2fs of CPU), too few to trust: %s", samples, t.CPUSeconds, m.o.Lengthen), true
	case t.WallSeconds < minWallSeconds:
		return fmt.Sprintf("short run (%.2fs): shares and estimates are rough; %s", t.WallSeconds, m.o.Lengthen), false
	case samples >= 0 && samples < minCPUSamples:
		return fmt.Sprintf("short run (%d CPU samples, %.2fs of CPU): shares and estimates are rough; %s", samples, t.CPUSeconds, m.o.Lengthen), false
	}
	return "", false
}

// candidate is a recommendation with the fraction of wall time it saves.
type candidate struct {
	rec  report.Recommendation
	gain float64
	// risk keeps a recommendation whose point is safety, not speed
	// (recursion deep enough to overflow), whatever its gain.
	risk bool
	// unproven: its precondition (independent iterations) was not
	// proven; it ranks below every proven recommendation.
	unproven bool
}

// recommend builds the ranked recommendations.
func (m *model) recommend() []report.Recommendation {
	if why, refuse := m.tooShort(); refuse {
		return []report.Recommendation{{Kind: report.KindNone, Text: "no advice: " + why + ".", EstimatedSpeedup: ptr(1.0)}}
	}
	var cs []candidate
	cs = append(cs, m.fromFindings()...)
	cs = append(cs, m.fromHotpaths(cs)...)
	cs = append(cs, m.fromProgram(cs)...)
	cs = slices.DeleteFunc(cs, func(c candidate) bool { return !c.risk && c.gain < m.o.MinGain })
	slices.SortStableFunc(cs, func(a, b candidate) int {
		return cmp.Or(
			cmp.Compare(b2i(a.unproven), b2i(b.unproven)),
			cmp.Compare(speedupOr(b.rec.EstimatedSpeedup), speedupOr(a.rec.EstimatedSpeedup)),
			cmp.Compare(a.rec.Kind, b.rec.Kind),
			cmp.Compare(a.rec.File, b.rec.File),
			cmp.Compare(a.rec.Line, b.rec.Line))
	})
	recs := make([]report.Recommendation, 0, len(cs)+1)
	for _, c := range cs {
		recs = append(recs, c.rec)
	}
	if len(recs) == 0 {
		recs = append(recs, m.none())
	}
	return recs
}

func speedupOr(p *float64) float64 {
	if p == nil {
		return 0 // unknown ranks after every estimate
	}
	return *p
}

// fromFindings turns hot findings into recommendations, one per kind and place.
func (m *model) fromFindings() []candidate {
	type key struct {
		kind, file string
		line       int
	}
	byKey := map[key]int{}
	var cs []candidate
	for _, f := range m.r.Findings {
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
		c := speedupCandidate(p, k, fmt.Sprintf(
			"run the independent iterations at %s concurrently: %s. Use bounded concurrency: an errgroup.Group with g.SetLimit(%d), one g.Go per item, each result stored by index in a preallocated slice. The loop waits on I/O for %s of the run, one call at a time; with %d calls in flight that wait shrinks about %d×.",
			at, why, m.o.Limit, pct(p), m.o.Limit, m.o.Limit))
		var fns []string
		for _, h := range m.r.Hotpaths {
			if h.Class == report.ClassIO && (h.Function == f.Function || slices.Contains(h.Stack, f.Function)) {
				fns = append(fns, h.Function)
			}
		}
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
		k := min(1/(1-r), whatIfCap)
		if s, ok := m.whatIf([]string{f.Function}, k); ok && plausible(s, gain) {
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
				g.paths, g.share = append(g.paths, h), g.share+p
				return
			}
		}
		groups = append(groups, &loopGroup{kind: kind, at: rp, paths: []report.Hotpath{h}, share: p})
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
			}
		}
	}
	for _, g := range groups {
		pre := m.concurrencyPrecondition(g)
		if pre.drop {
			if !slices.Contains(m.r.Errors, pre.why) {
				m.r.Errors = append(m.r.Errors, pre.why)
			}
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

// loopGroup is the hot paths one loop repeats, with their combined share.
type loopGroup struct {
	kind  string
	at    repeat
	paths []report.Hotpath
	share float64
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
	choice loopChoice
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
		loops, known := m.src.around(site.File, site.Line)
		switch {
		case len(loops) > 0:
			ch := m.src.choose(site.File, site.Line, loops, cpu)
			if cpu && sequentialScan(ch.loop.node) {
				return repeat{}, false
			}
			return repeat{fn: caller, file: site.File, line: ch.loop.line, loop: true, choice: ch}, true
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
			if l, ok, _ := m.src.loopCalling(c.File, c.Line, h.Function, cpu); ok {
				return repeat{fn: callerName, file: c.File, line: l.line, loop: true}, true
			}
			break
		}
	}
	loops, known := m.src.around(h.File, h.Line)
	if len(loops) > 0 {
		ch := m.src.choose(h.File, h.Line, loops, cpu)
		if cpu && sequentialScan(ch.loop.node) {
			return repeat{}, false // a scan: each step starts where the last ended
		}
		return repeat{fn: h.Function, file: h.File, line: ch.loop.line, loop: true, choice: ch}, true
	}
	if known && (callerName == "" || calledOnce) {
		return repeat{}, false
	}
	return repeat{fn: h.Function, file: h.File, line: h.Line, caller: callerName}, true
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
	case at.loop && len(at.choice.inner) > 0:
		lead = fmt.Sprintf("The loop at %s repeats this work. If its iterations are independent (else those of the inner %s),", where(at.fn, at.file, at.line), innerLoops(at.choice.inner))
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
		if ch := at.choice; ch.pinned != "" {
			keep = fmt.Sprintf(" Keep the inner %s sequential within each iteration: its calls on %s, declared anew in each iteration, must stay in order (writes to one file or stream are ordered).", innerLoops(ch.inner), ch.pinned)
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
				top = fmt.Sprintf("%s, %s of the run,", where(h.Function, h.File, h.Line), pct(h.Share))
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
	if io := s.Breakdown[report.StateNetwork] + s.Breakdown[report.StateSyscall]; io > 0 && !slices.ContainsFunc(have, func(c candidate) bool { return c.rec.Kind == report.KindGoroutines }) && m.ioInFlight("") <= concurrentIO {
		// The waits were measured but not attributed to a place in the
		// target's own code (e.g. they happen in library goroutines): say
		// so rather than pretend nothing is worth doing.
		// A static finding of sequential I/O is then the best evidence of
		// where the waits come from.
		var seq []report.Finding
		for _, f := range m.r.Findings {
			if f.Recommendation == report.KindGoroutines {
				seq = append(seq, f)
			}
		}
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

// none explains plainly that nothing is worth doing.
func (m *model) none() report.Recommendation {
	var b strings.Builder
	fmt.Fprintf(&b, "nothing worth doing: no hot path has a fix estimated to save more than %s of the run.", pct(m.o.MinGain))
	if len(m.r.Hotpaths) > 0 {
		h := m.r.Hotpaths[0]
		fmt.Fprintf(&b, " The largest hot path is %s with %s of the run (%s)", where(h.Function, h.File, h.Line), pct(h.Share), h.Class)
		switch h.Class {
		case report.ClassSleep:
			b.WriteString(": it sleeps; if it polls, wait on the event instead (a channel, sync.Cond or context) rather than time.Sleep in a loop.")
		case report.ClassSync:
			b.WriteString(": it waits on locks or channels; shorten the critical sections (do the work before Lock) or shard the shared state.")
		case report.ClassIO:
			if n := max(h.InFlight, 1); n > concurrentIO {
				fmt.Fprintf(&b, ": its I/O is already concurrent (%.1f goroutines waiting at once on average, measured on the trace), so more goroutines will not help. What limits it is the peer's latency per call, a concurrency limit in the code (a worker count, a semaphore, SetLimit, the transport's MaxConnsPerHost) or a shared lock: fewer or larger requests, or a higher limit if the peer has capacity, would.", n)
			} else {
				b.WriteString(".")
			}
		default:
			b.WriteString(".")
		}
	}
	return report.Recommendation{Kind: report.KindNone, Text: b.String(), EstimatedSpeedup: ptr(1.0)}
}

// speedupCandidate is a path with share p sped up s times (Amdahl).
func speedupCandidate(p, s float64, text string) candidate {
	p = clamp01(p)
	whole := 1 / ((1 - p) + p/s)
	return candidate{rec: report.Recommendation{Text: text, EstimatedSpeedup: ptr(round3(whole))}, gain: p * (1 - 1/s)}
}

// amdahlRemoved is the whole-program speedup when a fraction g of the run
// disappears.
func amdahlRemoved(g float64) float64 {
	g = min(clamp01(g), 0.999) // a fix never makes a program take no time
	return round3(1 / (1 - g))
}

// busy says that every core the program may use is busy.
func busy(procs int) string {
	if procs == 1 {
		return "the one core the program may use is busy"
	}
	return fmt.Sprintf("all %d cores are already busy", procs)
}

func where(fn, file string, line int) string {
	switch {
	case file == "" && fn == "":
		return "the program"
	case file == "":
		return fn
	case fn == "":
		return fmt.Sprintf("%s:%d", file, line)
	}
	return fmt.Sprintf("%s (%s:%d)", fn, file, line)
}

// sameFile compares a report path with a possibly longer recorded one.
func sameFile(a, b string) bool {
	return a != "" && b != "" && (a == b || strings.HasSuffix(a, "/"+b) || strings.HasSuffix(b, "/"+a))
}

func pct(x float64) string {
	if x > 0 && x < 0.005 {
		return "<1%"
	}
	return fmt.Sprintf("%.0f%%", x*100)
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return min(max(x, 0), 1)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func ptr[T any](v T) *T { return &v }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
