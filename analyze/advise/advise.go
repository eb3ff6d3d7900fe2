// Package advise turns a report into advice: it joins the rules' findings
// with the profile's hot lines, ranks recommendations by their estimated
// whole-program speedup (what-ifs over analyze.Model when there is one,
// Amdahl's law over the shares otherwise) and says when a run is too short.
package advise

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze"
	"github.com/advisor-dev/advisor/analyze/advise/internal/srcloop"
	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

// Options tune Advise. The zero value uses the defaults documented on
// each field.
type Options struct {
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
	Model *analyze.Model
}

// DefaultLengthen is Options.Lengthen for a program run by advisor.
const DefaultLengthen = "give the program more input or work (arguments after --), profile a benchmark with --bench, or, for a server, collect longer with --seconds"

// Defaults of Options.
const (
	DefaultMinShare = 0.01
	DefaultMinGain  = 0.05
	DefaultLimit    = 8
)

func (o Options) withDefaults() Options {
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
	// advice with a short-run caveat (advisor samples at 200 Hz, so 0.2 s
	// of one busy core is 40 samples); below the refuse thresholds there
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
func Advise(r *report.Report, cpu *profile.Profile, o Options) error {
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
	if short, _ := m.tooShort(); short != "" && !m.idleServer() && !slices.Contains(r.Errors, short) {
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
	} else {
		// Kept by --all: the measured view marks them cold, as advisor
		// lint does, so that no reader takes them for advice.
		for i, f := range r.Findings {
			if f.HotShare != nil && *f.HotShare < o.MinShare && f.Hidden == "" {
				r.Findings[i].Hidden = "cold"
			}
		}
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
	o  Options
	// measured says whether anything was measured (profile or hot paths).
	measured bool
	// cpuFrac converts a fraction of the CPU profile into a share of
	// the run: the on-CPU part of the breakdown (1 without one).
	cpuFrac float64
	// src reads the target's source to find the loops around hot lines.
	src *srcloop.Source
}

func newModel(r *report.Report, ix *SampleIndex, o Options) *model {
	m := &model{r: r, ix: ix, o: o, cpuFrac: 1, src: srcloop.New(o.ModuleDir)}
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

// idleServer reports a server's window in which it served nothing.
func (m *model) idleServer() bool {
	s := m.r.Summary
	return s != nil && s.Class == report.ClassIdle && s.Accounting == report.AccountingRequests
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
	if m.idleServer() {
		// A server that served nothing has nothing to speed up; its
		// accept loop, parked workers and tickers wait for work, which
		// is not I/O to overlap.
		return []report.Recommendation{{Kind: report.KindNone, EstimatedSpeedup: ptr(1.0),
			Text: "nothing to do: the server served no requests in the window; its goroutines waited for work (the accept loop, idle connections, workers on an empty queue, timers). Profile it under load: send it requests while advisor collects."}}
	}
	if why, refuse := m.tooShort(); refuse {
		return []report.Recommendation{{Kind: report.KindNone, Text: "no advice: " + why + ".", EstimatedSpeedup: ptr(1.0)}}
	}
	var cs []candidate
	cs = append(cs, m.fromFindings()...)
	cs = append(cs, m.fromHotpaths(cs)...)
	cs = append(cs, m.fromProgram(cs)...)
	small := func(c candidate) bool { return !c.risk && c.gain < m.o.MinGain }
	for _, c := range cs {
		if small(c) {
			m.tooSmall(c)
		}
	}
	cs = slices.DeleteFunc(cs, small)
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

// tooSmall notes on the hot findings a dropped candidate cites that the
// measured gain of fixing them is too small to recommend: next to "nothing
// worth doing" or a bigger lever, a finding saying "memoize f" would
// contradict the advice.
func (m *model) tooSmall(c candidate) {
	for _, id := range c.rec.Findings {
		for i := range m.r.Findings {
			f := &m.r.Findings[i]
			if findingID(*f) != id || shareOr(f.HotShare, 0) < m.o.MinShare || strings.Contains(f.Message, "measured:") {
				continue
			}
			f.Message += fmt.Sprintf(" (measured: fixing it is estimated to save %s of the run, under the %s worth recommending)", pct(c.gain), pct(m.o.MinGain))
		}
	}
}

func speedupOr(p *float64) float64 {
	if p == nil {
		return 0 // unknown ranks after every estimate
	}
	return *p
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
