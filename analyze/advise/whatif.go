package advise

import (
	"fmt"
	"slices"

	"github.com/advisor-dev/advisor/analyze/report"
)

// ioInFlight is how many goroutines waited on I/O at once while the hot
// paths running inside fn (any path when fn is "") did: measured from the
// trace (Hotpath.InFlight, Summary.IOInFlight); 1 when not measured.
func (m *model) ioInFlight(fn string) float64 {
	n := 0.0
	for _, h := range m.r.Hotpaths {
		if h.Class == report.ClassIO && (fn == "" || h.Function == fn || slices.Contains(h.Stack, fn)) {
			n = max(n, h.InFlight)
		}
	}
	if fn == "" && m.r.Summary != nil {
		n = max(n, m.r.Summary.IOInFlight)
	}
	return max(n, 1)
}

// whatIf estimates the whole-run speedup of making fns k times faster,
// over the model's graph; false without a model.
func (m *model) whatIf(fns []string, k float64) (float64, bool) {
	s, ok := m.o.Model.Speedup(fns, k)
	if !ok || !(s > 0) {
		return 0, false
	}
	return round3(s), true
}

// plausible reports whether a what-if speedup s can stand for a fix whose
// Amdahl estimate saves the fraction gain of the run. A what-if far below
// Amdahl means something outside the model pins the end of the run (a
// goroutine whose waits the graph keeps fixed though they would end
// sooner): then the shares are the better evidence. Callers also cap the
// what-if at Amdahl over the traced share: the what-if refines an estimate
// down (work on other goroutines that becomes critical), never up.
func plausible(s, gain float64) bool {
	return s > 1 && 1-1/s >= gain/10
}

// whatIfCap is the largest speedup of one function a what-if assumes: an
// exponential recomputation removed is worth "more than this".
const whatIfCap = 20

func breakdownTotal(b report.Breakdown) float64 {
	var t float64
	for _, v := range b {
		t += max(v, 0)
	}
	return t
}

// profileShare converts a profile value into a share of goroutine time.
func (m *model) profileShare(v int64) float64 {
	return clamp01(m.ix.Fraction(v) * m.cpuFrac)
}

// findingShare measures the share of time at a finding: for recursion, the
// whole function (cumulative); for sequential I/O, the network and syscall
// waits below its function; otherwise the line, cumulative, including
// inlined frames. Trace-attributed hot paths at the same place count too,
// since the CPU profile cannot see waiting.
func (m *model) findingShare(f *report.Finding) float64 {
	var s float64
	switch {
	case f.Category == report.CategoryRecursion && f.Function != "":
		s = m.profileShare(m.ix.Func(f.Function).Cum)
		s = max(s, m.pathsUnder(f.Function, func(h report.Hotpath) float64 { return h.Share }))
	case f.Recommendation == report.KindGoroutines && f.Function != "":
		s = m.pathsUnder(f.Function, ioShare)
	default:
		s = m.profileShare(m.ix.Line(f.File, f.Line).Cum)
		var t float64
		for _, h := range m.r.Hotpaths {
			if h.Line == f.Line && sameFile(h.File, f.File) {
				t += h.Share
			}
		}
		s = max(s, t)
	}
	return clamp01(s)
}

// pathsUnder sums part(h) over the hot paths that run inside fn. Hot paths
// are disjoint places, so their shares add.
func (m *model) pathsUnder(fn string, part func(report.Hotpath) float64) float64 {
	var s float64
	for _, h := range m.r.Hotpaths {
		if h.Function == fn || slices.Contains(h.Stack, fn) {
			s += part(h)
		}
	}
	return s
}

// ioShare is the part of a hot path's share spent waiting on network or
// system calls.
func ioShare(h report.Hotpath) float64 {
	if h.Breakdown == nil {
		if h.Class == report.ClassIO {
			return h.Share
		}
		return 0
	}
	return h.Breakdown[report.StateNetwork] + h.Breakdown[report.StateSyscall]
}

// cpuShare is the part of a hot path's share spent computing.
func cpuShare(h report.Hotpath) float64 {
	if h.Breakdown == nil {
		if h.Class == report.ClassCPU {
			return h.Share
		}
		return 0
	}
	return h.Breakdown[report.StateCPU] + h.Breakdown[report.StateGC] + h.Breakdown[report.StateSched]
}

// times formats a factor: "20×", "1.6×".
func times(k float64) string { return fmt.Sprintf("%.3g×", k) }

// goneFactor is the speedup a what-if gives a function to ask what the run
// would take without it: large, but finite, so that a run that was nothing
// but that function still has a length.
const goneFactor = 1e6

// beyondCap is the estimate for memoizing fn (an overlapping recursion,
// p of the run) when the work it removes is worth more than the what-if
// cap: exponential work becomes linear, so the function itself gets far
// more than whatIfCap× faster, and if the run without fn's time is under
// 1/whatIfCap of the run (a what-if with fn's time gone, and Amdahl over
// p) the whole program gets more than whatIfCap× faster too. The estimate
// is then the cap, marked as a lower bound: a number like 19.6× from a
// capped factor would understate a gain that measures in the hundreds.
func (m *model) beyondCap(fn string, p float64, text string) (candidate, bool) {
	gone, ok := m.whatIf([]string{fn}, goneFactor)
	if !ok || gone < whatIfCap || amdahlRemoved(p) < whatIfCap {
		return candidate{}, false
	}
	text += fmt.Sprintf(" Without %s's recomputation the rest of the run is under 1/%d of it (a what-if over the trace): the program becomes more than %s faster; how much more depends on the input size.", fn, int(whatIfCap), times(whatIfCap))
	s := float64(whatIfCap)
	return candidate{rec: report.Recommendation{Text: text, EstimatedSpeedup: ptr(s), EstimateLowerBound: true}, gain: 1 - 1/s}, true
}

// capped notes when a what-if assumed the cap rather than the fix's real
// factor, which can be far larger.
func capped(k float64) string {
	if k >= whatIfCap {
		return fmt.Sprintf("; the speedup of the function itself is capped at %s, the fix is likely worth more than %s", times(whatIfCap), times(whatIfCap))
	}
	return ""
}

// spreadOverCores replaces c's Amdahl estimate by a what-if: the CPU of
// fns spread over n cores, the critical path recomputed.
func (m *model) spreadOverCores(c *candidate, fns []string, n float64) {
	s, ok := m.whatIf(fns, n)
	if !ok || !plausible(s, c.gain) {
		return
	}
	s = min(s, speedupOr(c.rec.EstimatedSpeedup))
	c.rec.EstimatedSpeedup, c.gain = ptr(s), 1-1/s
	c.rec.Text += fmt.Sprintf(" Spreading that CPU over %.3g cores shortens the run's critical path %s (a what-if over the trace).", n, times(s))
}

// overlapWaits replaces c's Amdahl estimate by a what-if: the path's time
// in fns (its waits, and the wakers' work for them) overlapped k at a
// time, the critical path recomputed.
func (m *model) overlapWaits(c *candidate, fns []string, k float64) {
	s, ok := m.o.Model.SpeedupAttributed(fns, k)
	if !ok || !plausible(s, c.gain) {
		return
	}
	s = round3(min(s, speedupOr(c.rec.EstimatedSpeedup)))
	c.rec.EstimatedSpeedup, c.gain = ptr(s), 1-1/s
	c.rec.Text += fmt.Sprintf(" Overlapping those waits %d at a time shortens the run's critical path %s (a what-if over the trace).", int(k), times(s))
}
