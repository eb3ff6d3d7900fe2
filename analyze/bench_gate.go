package analyze

import (
	"fmt"
	"math"
	"regexp"
)

// Verdicts of the regression gate on one benchmark in one unit.
const (
	BenchRegression  = "regression"  // significantly worse by at least the threshold (and confirmed, when confirmation ran)
	BenchImprovement = "improvement" // significantly better by at least the threshold
	BenchUnchanged   = "unchanged"   // no significant change beyond the threshold
	BenchUndecided   = "undecided"   // too few samples to ever reach significance
	BenchUnconfirmed = "unconfirmed" // flagged once, not flagged again by the confirmation run
	BenchAdded       = "added"       // only in head
	BenchRemoved     = "removed"     // only in base
	BenchIgnored     = "ignored"     // excluded by configuration
)

// BenchGate holds the regression thresholds. Thresholds are relative:
// 0.05 means 5%.
type BenchGate struct {
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
	Overrides []BenchOverride
}

// BenchOverride changes the gate for benchmarks whose name matches Match.
type BenchOverride struct {
	Match           *regexp.Regexp
	Threshold       *float64
	AllocsThreshold *float64
	BytesThreshold  *float64
	Ignore          bool
}

// DefaultBenchGate returns the default gate: α = 0.05, 5% slowdown, any
// increase of allocs/op, 1% increase of B/op (B/op is a truncated average,
// so one-off allocations can move it by a byte or two between runs).
func DefaultBenchGate() BenchGate {
	return BenchGate{Alpha: 0.05, Threshold: 0.05, AllocsThreshold: 0, BytesThreshold: 0.01}
}

// BenchVerdict is the gate's decision on one row of a comparison.
type BenchVerdict struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Status string `json:"status"`
	// Change is the relative change in the "worse" direction: +0.3 is 30%
	// slower (or 30% more allocations); negative is better. For units where
	// higher is better it is base/head - 1, so it reads as a slowdown too.
	Change    *float64 `json:"change"`
	P         float64  `json:"p"`
	Threshold float64  `json:"threshold"`
	// Exact is set for units gated by threshold alone (allocs/op, B/op).
	Exact bool `json:"exact,omitempty"`
	// Test names the test behind P: "signed-rank" (Wilcoxon, on the log
	// ratios of runs paired by round, for interleaved runs) or
	// "mann-whitney" (unpaired, as benchstat).
	Test   string `json:"test,omitempty"`
	Reason string `json:"reason"`
	// Confirm holds the confirmation run's numbers, when there was one.
	Confirm *BenchConfirmation `json:"confirm,omitempty"`
	// Table and Row locate the verdict in the comparison it was made from.
	Table int `json:"-"`
	Row   int `json:"-"`
}

// BenchConfirmation is the second, independent measurement of a suspected
// regression.
type BenchConfirmation struct {
	Change *float64 `json:"change"`
	P      float64  `json:"p"`
	Status string   `json:"status"`
}

// BenchGateResult lists a verdict for every row of every table.
type BenchGateResult struct {
	Verdicts []BenchVerdict `json:"verdicts"`
}

// Count returns how many verdicts have the given status.
func (g *BenchGateResult) Count(status string) int {
	n := 0
	for _, v := range g.Verdicts {
		if v.Status == status {
			n++
		}
	}
	return n
}

// Regressed returns the distinct names of benchmarks with a regression.
func (g *BenchGateResult) Regressed() []string {
	var names []string
	seen := map[string]bool{}
	for _, v := range g.Verdicts {
		if v.Status == BenchRegression && !seen[v.Name] {
			seen[v.Name] = true
			names = append(names, v.Name)
		}
	}
	return names
}

// GateBench decides, for every row of c, whether head regressed.
// A statistically compared unit regresses when p < Alpha and the slowdown is
// at least the threshold; allocs/op and B/op (and units declared exact)
// regress when they grow by more than their threshold.
func GateBench(c *BenchComparison, g BenchGate) (*BenchGateResult, error) {
	if !(g.Alpha > 0 && g.Alpha < 1) {
		return nil, fmt.Errorf("alpha must be in (0, 1), got %v", g.Alpha)
	}
	for _, t := range []float64{g.Threshold, g.AllocsThreshold, g.BytesThreshold} {
		if t < 0 || math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("thresholds must be finite and ≥ 0, got %v", t)
		}
	}
	res := &BenchGateResult{}
	for ti, t := range c.Tables {
		for ri, r := range t.Rows {
			v := benchVerdict(t, r, g)
			v.Table, v.Row = ti, ri
			res.Verdicts = append(res.Verdicts, v)
		}
	}
	return res, nil
}

func benchVerdict(t BenchTable, r BenchRow, g BenchGate) BenchVerdict {
	v := BenchVerdict{Name: r.Name, Unit: t.Unit, P: r.P}
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
			v.Status, v.Reason = BenchIgnored, "ignored by configuration ("+o.Match.String()+")"
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
		v.Status, v.Reason = BenchAdded, "new benchmark (not in base)"
		return v
	case r.Head == nil:
		v.Status, v.Reason = BenchRemoved, "benchmark missing in head"
		return v
	case t.Better == 0:
		v.Status, v.Reason = BenchUnchanged, "unit "+t.Unit+" has no known better direction; not gated"
		return v
	}
	change, ok := benchWorse(r.Base.Center, r.Head.Center, t.Better)
	if ok {
		v.Change = &change
	}
	if exact {
		switch {
		case !ok || change > thr:
			v.Status = BenchRegression
			v.Reason = fmt.Sprintf("%s grew from %g to %g (threshold %s)", t.Unit, r.Base.Center, r.Head.Center, benchPct(thr))
		case change < -thr:
			v.Status = BenchImprovement
			v.Reason = fmt.Sprintf("%s fell from %g to %g", t.Unit, r.Base.Center, r.Head.Center)
		default:
			v.Status, v.Reason = BenchUnchanged, "within threshold"
		}
		return v
	}
	// Interleaved runs are compared round by round (the ratio of runs made
	// back to back cancels the machine's drift); files, as benchstat does.
	minP, how := benchMinP(r.N1, r.N2), fmt.Sprintf("n=%d+%d", r.N1, r.N2)
	v.Test = "mann-whitney"
	if pr := r.Paired; pr != nil {
		v.Test, v.P = "signed-rank", pr.P
		minP, how = benchSignedRankMinP(pr.N), fmt.Sprintf("paired over %d rounds", pr.N)
		change, ok = benchWorse(1, pr.Ratio, t.Better)
		v.Change = nil
		if ok {
			v.Change = &change
		}
	}
	if minP >= g.Alpha {
		v.Status = BenchUndecided
		v.Reason = fmt.Sprintf("%s cannot reach p < %v; raise --count", how, g.Alpha)
		return v
	}
	switch {
	case v.P >= g.Alpha:
		v.Status, v.Reason = BenchUnchanged, fmt.Sprintf("no significant difference (p=%.3f ≥ α=%v, %s)", v.P, g.Alpha, how)
	case !ok || change >= thr:
		v.Status = BenchRegression
		v.Reason = fmt.Sprintf("%s slower (p=%.3f < α=%v, %s, threshold %s)", benchPctChange(v.Change), v.P, g.Alpha, how, benchPct(thr))
	case change <= -thr:
		v.Status = BenchImprovement
		v.Reason = fmt.Sprintf("%s faster (p=%.3f, %s)", benchPctChange(&change), v.P, how)
	default:
		v.Status = BenchUnchanged
		v.Reason = fmt.Sprintf("significant but below the threshold (%s, threshold %s)", benchPctChange(v.Change), benchPct(thr))
	}
	return v
}

// benchWorse returns the relative change of head over base in the "worse"
// direction. ok is false when it is infinite (base is zero and head worse).
func benchWorse(base, head float64, better int) (float64, bool) {
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

// benchMinP is the smallest two-sided p-value the Mann-Whitney U test can
// give for samples of sizes n1 and n2: 2 / C(n1+n2, n1).
func benchMinP(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return math.Min(1, 2/c)
}

// ConfirmBench merges a confirmation run into the first verdicts: a
// regression stays one only if the confirmation also finds it; otherwise it
// becomes BenchUnconfirmed. The confirmation's numbers are attached.
func ConfirmBench(first, confirm *BenchGateResult) *BenchGateResult {
	type key struct{ name, unit string }
	second := map[key]BenchVerdict{}
	for _, v := range confirm.Verdicts {
		second[key{v.Name, v.Unit}] = v
	}
	out := &BenchGateResult{Verdicts: append([]BenchVerdict(nil), first.Verdicts...)}
	for i := range out.Verdicts {
		v := &out.Verdicts[i]
		if v.Status != BenchRegression {
			continue
		}
		s, ok := second[key{v.Name, v.Unit}]
		if !ok {
			v.Status, v.Reason = BenchUnconfirmed, v.Reason+"; missing from the confirmation run"
			continue
		}
		v.Confirm = &BenchConfirmation{Change: s.Change, P: s.P, Status: s.Status}
		if s.Status != BenchRegression {
			v.Status, v.Reason = BenchUnconfirmed, v.Reason+"; not reproduced by the confirmation run ("+s.Reason+")"
		}
	}
	return out
}

func benchPct(f float64) string { return fmt.Sprintf("%.4g%%", f*100) }

func benchPctChange(f *float64) string {
	if f == nil {
		return "infinitely"
	}
	return fmt.Sprintf("%+.2f%%", *f*100)
}

// BenchMinCount returns the smallest number of runs per side with which both
// the Mann-Whitney U test and the paired signed-rank test can reach
// p < alpha.
func BenchMinCount(alpha float64) int {
	for n := 1; n < 100; n++ {
		if benchMinP(n, n) < alpha && benchSignedRankMinP(n) < alpha {
			return n
		}
	}
	return 100
}

// benchSignedRankMinP is the smallest two-sided p-value of the signed-rank
// test over n pairs: every difference with the same sign, 2/2^n.
func benchSignedRankMinP(n int) float64 {
	return math.Min(1, 2/math.Pow(2, float64(n)))
}
