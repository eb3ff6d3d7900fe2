package benchstat

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/advisor-dev/advisor/analyze/report"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// Verification thresholds (issue "verified rewrites"): a rewrite is a win only
// when the difference is statistically significant AND big enough to matter
// AND the conservative speedup interval excludes 1.
const (
	VerifyAlpha   = 0.05
	VerifyMinGain = 0.02
	// VerifyMinRuns is the fewest runs per side for which a median's 95%
	// interval is bounded (the order-statistic interval [x(1), x(n)] covers
	// with probability 1-2·0.5ⁿ, ≥ 0.95 only from n = 6). With 4 or 5 the
	// rank test can reach p < 0.05, but there is no interval to exclude 1.
	VerifyMinRuns = 6
)

// CompareRuns summarizes interleaved A/B measurements (seconds per run, or any
// lower-is-better unit) of an original program (before) and its rewrite
// (after) as a Verified record. tests is "pass", "fail" or "none".
//
// The speedup is median(before)/median(after). Its interval combines the two
// medians' 95% confidence intervals conservatively — [before.Lo/after.Hi,
// before.Hi/after.Lo] — which is wider than an exact interval for the ratio;
// P is the Mann-Whitney U test's, as benchstat reports it.
func CompareRuns(before, after []float64, tests string) (*report.Verified, error) {
	if len(before) == 0 || len(after) == 0 {
		return nil, fmt.Errorf("compare runs: need measurements of both versions (have %d and %d)", len(before), len(after))
	}
	th := benchmath.DefaultThresholds
	th.CompareAlpha = VerifyAlpha
	a := benchmath.NewSample(append([]float64(nil), before...), &th)
	b := benchmath.NewSample(append([]float64(nil), after...), &th)
	sa := benchmath.AssumeNothing.Summary(a, 0.95)
	sb := benchmath.AssumeNothing.Summary(b, 0.95)
	if sa.Center <= 0 || sb.Center <= 0 {
		return nil, fmt.Errorf("compare runs: non-positive median (%g, %g)", sa.Center, sb.Center)
	}
	cmp := benchmath.AssumeNothing.Compare(a, b)
	v := &report.Verified{
		Speedup: sa.Center / sb.Center,
		P:       cmp.P,
		Runs:    min(len(before), len(after)),
		Tests:   tests,
	}
	// With too few runs the median's interval is unbounded; report the point
	// estimate as both ends rather than ±Inf (JSON cannot carry Inf); Win
	// refuses it (fewer than VerifyMinRuns runs).
	v.CILow, v.CIHigh = v.Speedup, v.Speedup
	if sb.Hi > 0 && sb.Lo > 0 && !isInf(sa.Lo) && !isInf(sa.Hi) && !isInf(sb.Lo) && !isInf(sb.Hi) {
		v.CILow, v.CIHigh = sa.Lo/sb.Hi, sa.Hi/sb.Lo
	}
	return v, nil
}

// Win reports whether v shows a real improvement: tests did not fail, p below
// VerifyAlpha, at least VerifyMinGain faster, and the interval (which needs
// VerifyMinRuns runs) above 1.
func Win(v *report.Verified) bool {
	return v != nil && v.Tests != "fail" && v.P < VerifyAlpha && v.Speedup >= 1+VerifyMinGain &&
		v.Runs >= VerifyMinRuns && v.CILow > 1
}

func isInf(f float64) bool { return f > 1e308 || f < -1e308 }

// Totals reads the output of one run of a test binary's benchmarks
// (-test.benchmem) and returns the sums of ns/op and of allocs/op over its
// benchmarks: the cost of one operation of each, a single number per run to
// compare A/B. hasAllocs is false without -benchmem results.
func Totals(out []byte) (ns, allocs float64, hasAllocs bool, err error) {
	var rd benchfmt.Reader
	rd.Reset(bytes.NewReader(out), "benchmark output")
	found := false
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			return 0, 0, false, fmt.Errorf("benchmark output: %w", rec)
		case *benchfmt.Result:
			for _, v := range rec.Values {
				if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
					return 0, 0, false, fmt.Errorf("benchmark output: Benchmark%s: %s is not a finite number", rec.Name.Full(), v.Unit)
				}
				switch v.Unit {
				case "sec/op": // benchfmt normalizes ns/op to sec/op
					ns += v.Value * 1e9
					found = true
				case "allocs/op":
					allocs += v.Value
					hasAllocs = true
				}
			}
		}
	}
	if err := rd.Err(); err != nil {
		return 0, 0, false, fmt.Errorf("benchmark output: %w", err)
	}
	if !found {
		return 0, 0, false, errors.New("benchmark output has no ns/op result (does -bench match a benchmark?)")
	}
	if math.IsInf(ns, 0) || math.IsInf(allocs, 0) {
		return 0, 0, false, errors.New("benchmark output: totals overflow")
	}
	return ns, allocs, hasAllocs, nil
}
