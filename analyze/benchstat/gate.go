package benchstat

import (
	"fmt"
	"math"
	"regexp"
	"slices"

	"github.com/advisor-dev/advisor/analyze/report"
)

// Thresholds holds the regression thresholds. Thresholds are relative:
// 0.05 means 5%.
type Thresholds struct {
	// Alpha is the significance level: a change is significant if p < Alpha.
	Alpha float64
	// Threshold is the smallest slowdown that fails the gate in
	// statistically compared units (sec/op and custom metrics).
	Threshold float64
	// AllocsThreshold and BytesThreshold are the largest tolerated relative
	// increases of allocs/op and B/op. These units are compared exactly (by
	// their medians, without a test): they do not depend on machine noise.
	AllocsThreshold float64
	BytesThreshold  float64
	// Overrides change the thresholds of the benchmarks they match; the first
	// match wins.
	Overrides []Override
}

// Override changes the gate for benchmarks whose name matches Match.
type Override struct {
	Match           *regexp.Regexp
	Threshold       *float64
	AllocsThreshold *float64
	BytesThreshold  *float64
	Ignore          bool
}

// DefaultThresholds returns the default gate: α = 0.05, 5% slowdown, any
// increase of allocs/op, 1% increase of B/op (B/op is a truncated average,
// so one-off allocations can move it by a byte or two between runs).
func DefaultThresholds() Thresholds {
	return Thresholds{Alpha: 0.05, Threshold: 0.05, AllocsThreshold: 0, BytesThreshold: 0.01}
}

// GateResult lists a verdict for every row of every table.
type GateResult struct {
	Verdicts []report.Verdict `json:"verdicts"`
}

// Count returns how many verdicts have the given status.
func (g *GateResult) Count(status string) int {
	n := 0
	for _, v := range g.Verdicts {
		if v.Status == status {
			n++
		}
	}
	return n
}

// Gate decides, for every row of c, whether head regressed.
// A statistically compared unit regresses when p < Alpha and the slowdown is
// at least the threshold; allocs/op and B/op (and units declared exact)
// regress when they grow by more than their threshold.
func Gate(c *report.Comparison, g Thresholds) (*GateResult, error) {
	if !(g.Alpha > 0 && g.Alpha < 1) {
		return nil, fmt.Errorf("alpha must be in (0, 1), got %v", g.Alpha)
	}
	for _, t := range []float64{g.Threshold, g.AllocsThreshold, g.BytesThreshold} {
		if t < 0 || math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("thresholds must be finite and ≥ 0, got %v", t)
		}
	}
	res := &GateResult{}
	for ti, t := range c.Tables {
		for ri, r := range t.Rows {
			v := verdict(t, r, g)
			v.Table, v.Row = ti, ri
			res.Verdicts = append(res.Verdicts, v)
		}
	}
	return res, nil
}

func verdict(t report.BenchTable, r report.BenchRow, g Thresholds) report.Verdict {
	v := report.Verdict{Name: r.Name, Unit: t.Unit, P: r.P}
	thr := g.Threshold
	exact := t.Exact
	switch t.Unit {
	case "allocs/op":
		thr, exact = g.AllocsThreshold, true
	case "B/op":
		thr, exact = g.BytesThreshold, true
	}
	for _, o := range g.Overrides {
		if o.Match == nil || !o.Match.MatchString(r.Name) {
			continue
		}
		if o.Ignore {
			v.Status, v.Reason = report.StatusIgnored, "ignored by configuration ("+o.Match.String()+")"
			return v
		}
		switch {
		case t.Unit == "allocs/op" && o.AllocsThreshold != nil:
			thr = *o.AllocsThreshold
		case t.Unit == "B/op" && o.BytesThreshold != nil:
			thr = *o.BytesThreshold
		case !exact && o.Threshold != nil:
			thr = *o.Threshold
		}
		break
	}
	v.Threshold, v.Exact = thr, exact
	switch {
	case r.Base == nil:
		v.Status, v.Reason = report.StatusAdded, "new benchmark (not in base)"
		return v
	case r.Head == nil:
		v.Status, v.Reason = report.StatusRemoved, "benchmark missing in head"
		return v
	case t.Better == 0:
		v.Status, v.Reason = report.StatusUnchanged, "unit "+t.Unit+" has no known better direction; not gated"
		return v
	}
	change, ok := worse(r.Base.Center, r.Head.Center, t.Better)
	if ok {
		v.Change = &change
	}
	if exact {
		// B/op is truncated to an integer: one-off allocations move it by a
		// byte or two between runs of many iterations, which is stable.
		slack := 0.0
		if t.Unit == "B/op" {
			slack = 2
		}
		if !stable(r.Base.Values, thr, slack) || !stable(r.Head.Values, thr, slack) {
			// Few iterations per run make allocs/op and B/op jump between
			// rounds (1 iteration: 0 or 1 allocation, 0 or 4 bytes), so their
			// medians differ without any change in the code. Only a head that
			// is worse in every round than base in any round still counts.
			if (!ok || change > thr) && separated(r.Base.Values, r.Head.Values, t.Better) {
				v.Status = report.StatusRegression
				v.Reason = fmt.Sprintf("%s grew from %g to %g in every round, though it varies between rounds (threshold %s)", t.Unit, r.Base.Center, r.Head.Center, pct(thr))
				return v
			}
			v.Status = report.StatusNoisy
			v.Reason = fmt.Sprintf("%s varies between rounds (base %s, head %s): not compared; raise -benchtime so that each run has more iterations",
				t.Unit, spread(r.Base.Values), spread(r.Head.Values))
			return v
		}
		switch {
		case !ok || change > thr:
			v.Status = report.StatusRegression
			v.Reason = fmt.Sprintf("%s grew from %g to %g (threshold %s)", t.Unit, r.Base.Center, r.Head.Center, pct(thr))
		case change < -thr:
			v.Status = report.StatusImprovement
			v.Reason = fmt.Sprintf("%s fell from %g to %g", t.Unit, r.Base.Center, r.Head.Center)
		default:
			v.Status, v.Reason = report.StatusUnchanged, "within threshold"
		}
		return v
	}
	// Interleaved runs are compared round by round (the ratio of runs made
	// back to back cancels the machine's drift); files, as benchstat does.
	minP, how := mannWhitneyMinP(r.N1, r.N2), fmt.Sprintf("n=%d+%d", r.N1, r.N2)
	v.Test = report.TestMannWhitney
	if pr := r.Paired; pr != nil {
		v.Test, v.P = report.TestSignedRank, pr.P
		minP, how = signedRankMinP(pr.N), fmt.Sprintf("paired over %d rounds", pr.N)
		change, ok = worse(1, pr.Ratio, t.Better)
		v.Change = nil
		if ok {
			v.Change = &change
		}
	}
	if minP >= g.Alpha {
		v.Status = report.StatusUndecided
		v.Reason = fmt.Sprintf("%s cannot reach p < %v; raise --count", how, g.Alpha)
		return v
	}
	switch {
	case v.P >= g.Alpha:
		v.Status, v.Reason = report.StatusUnchanged, fmt.Sprintf("no significant difference (p=%.3f ≥ α=%v, %s)", v.P, g.Alpha, how)
	case !ok || change >= thr:
		v.Status = report.StatusRegression
		v.Reason = fmt.Sprintf("%s slower (p=%.3f < α=%v, %s, threshold %s)", pctChange(v.Change), v.P, g.Alpha, how, pct(thr))
	case change <= -thr:
		v.Status = report.StatusImprovement
		v.Reason = fmt.Sprintf("%s faster (p=%.3f, %s)", pctChange(&change), v.P, how)
	default:
		v.Status = report.StatusUnchanged
		v.Reason = fmt.Sprintf("significant but below the threshold (%s, threshold %s)", pctChange(v.Change), pct(thr))
	}
	return v
}

// stable reports whether an exact unit's values agree across rounds: their
// range is within thr of their largest magnitude, or within slack (all
// equal when both are 0).
func stable(vs []float64, thr, slack float64) bool {
	if len(vs) == 0 {
		return true
	}
	lo, hi := vs[0], vs[0]
	for _, x := range vs {
		lo, hi = min(lo, x), max(hi, x)
	}
	return hi-lo <= max(thr*max(math.Abs(lo), math.Abs(hi)), slack)
}

// separated reports whether every head value is worse than every base value.
func separated(base, head []float64, better int) bool {
	if len(base) == 0 || len(head) == 0 {
		return false
	}
	bmin, bmax := slices.Min(base), slices.Max(base)
	hmin, hmax := slices.Min(head), slices.Max(head)
	if better > 0 {
		return hmax < bmin
	}
	return hmin > bmax
}

// spread formats the range of vs as "lo..hi", or the one value.
func spread(vs []float64) string {
	if len(vs) == 0 {
		return "none"
	}
	lo, hi := slices.Min(vs), slices.Max(vs)
	if lo == hi {
		return fmt.Sprintf("%g", lo)
	}
	return fmt.Sprintf("%g..%g", lo, hi)
}

// worse returns the relative change of head over base in the "worse"
// direction. ok is false when it is infinite (base is zero and head worse).
func worse(base, head float64, better int) (float64, bool) {
	if base == head {
		return 0, true
	}
	if better > 0 {
		// Higher is better (throughput): express the loss as a slowdown.
		if head == 0 {
			return 0, false
		}
		return base/head - 1, true
	}
	if base == 0 {
		return 0, false
	}
	return head/base - 1, true
}

// mannWhitneyMinP is the smallest two-sided p-value the Mann-Whitney U test can
// give for samples of sizes n1 and n2: 2 / C(n1+n2, n1).
func mannWhitneyMinP(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return math.Min(1, 2/c)
}

// ConfirmAlpha is the significance level of the confirmation run of a gate
// at level alpha: alpha/50 (0.001 for the default 0.05). A tree compared
// with itself is suspected in about α/2 of the comparisons of a benchmark
// on a noisy machine; at the same level, a second independent measurement
// would confirm such a fluke about once in 1/(α/2)² = 1600 comparisons, and
// a CI job compares many benchmarks. At α/50 it is about once in 10⁵, while
// a real slowdown, measured in twice as many rounds, still reaches it (the
// signed-rank p of 2n rounds that all agree is 2/4ⁿ).
func ConfirmAlpha(alpha float64) float64 { return alpha / 50 }

// Confirm merges a confirmation run into the first verdicts: a
// regression stays one only if the confirmation also finds it; otherwise it
// becomes report.StatusUnconfirmed. The confirmation's numbers are attached.
func Confirm(first, confirm *GateResult) *GateResult {
	type key struct{ name, unit string }
	second := map[key]report.Verdict{}
	for _, v := range confirm.Verdicts {
		second[key{v.Name, v.Unit}] = v
	}
	out := &GateResult{Verdicts: append([]report.Verdict(nil), first.Verdicts...)}
	for i := range out.Verdicts {
		v := &out.Verdicts[i]
		if v.Status != report.StatusRegression {
			continue
		}
		s, ok := second[key{v.Name, v.Unit}]
		if !ok {
			v.Status, v.Reason = report.StatusUnconfirmed, v.Reason+"; missing from the confirmation run"
			continue
		}
		v.Confirm = &report.Confirmation{Change: s.Change, P: s.P, Status: s.Status}
		if s.Status != report.StatusRegression {
			v.Status, v.Reason = report.StatusUnconfirmed, v.Reason+"; not reproduced by the confirmation run ("+s.Reason+")"
		}
	}
	return out
}

func pct(f float64) string { return fmt.Sprintf("%.4g%%", f*100) }

func pctChange(f *float64) string {
	if f == nil {
		return "infinitely"
	}
	return fmt.Sprintf("%+.2f%%", *f*100)
}

// MinCount returns the smallest number of runs per side with which both
// the Mann-Whitney U test and the paired signed-rank test can reach
// p < alpha.
func MinCount(alpha float64) int {
	for n := 1; n < 100; n++ {
		if mannWhitneyMinP(n, n) < alpha && signedRankMinP(n) < alpha {
			return n
		}
	}
	return 100
}

// signedRankMinP is the smallest two-sided p-value of the signed-rank
// test over n pairs: every difference with the same sign, 2/2^n.
func signedRankMinP(n int) float64 {
	return math.Min(1, 2/math.Pow(2, float64(n)))
}

// NewCI returns the advisor-ci/v1 document of a gated comparison: base and
// head label the two sides, th is the gate that made the verdicts. The
// lists are empty, not nil, so that JSON shows them as [].
func NewCI(base, head string, th Thresholds, cmp *report.Comparison, gate *GateResult) *report.CI {
	verdicts := gate.Verdicts
	if verdicts == nil {
		verdicts = []report.Verdict{}
	}
	return &report.CI{
		Schema: report.SchemaCIV1, Base: base, Head: head, Alpha: th.Alpha, Threshold: th.Threshold,
		Comparison: cmp, Verdicts: verdicts, Regressions: gate.Count(report.StatusRegression),
		NewFindings: []report.Finding{}, Errors: []string{},
	}
}
