package verify

import (
	"fmt"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/profile/abtest"
)

// maxSessions bounds how often an inconclusive measurement is extended.
const maxSessions = 3

// session measures one session of interleaved A/B rounds and returns the
// measurements of the original (before) and the rewrite (after), whether
// the context stopped it early, and whether the rewrite failed a check.
type session func() (before, after []float64, stopped, failed bool, err error)

// reporter is where decide says what it does: progress lines, notes for
// the report's errors, and why a stopped session stopped.
type reporter struct {
	progress func(string)
	note     func(string, ...any)
	// stopped says why sessions stop early: "--verify-budget used up" or
	// "interrupted".
	stopped func() string
}

// measure runs sessions of interleaved A/B rounds of ab.Binaries[0] (the
// original) and ab.Binaries[1] and decides on them (see decide). check
// vets the first session (nil: none); when it fails, the result's tests
// are "fail". With --bench the samples are the benchmarks' ns/op and the
// allocations their allocs/op.
func (vr *verifier) measure(ab abtest.BinariesOptions, tests, what string, check func(*abtest.BinariesResult) bool) (*report.Verified, error) {
	var allocs [2][]float64 // allocs/op of each run of each side, from benchmarks
	first := true
	s := func() (before, after []float64, stopped, failed bool, err error) {
		got, err := vr.t.ab(vr.ctx, ab)
		if err != nil {
			return nil, nil, false, false, err
		}
		failed = first && check != nil && !check(got)
		first = false
		before, after, err = vr.samples(got, &allocs)
		return before, after, got.Stopped, failed, err
	}
	v, err := decide(s, tests, what, reporter{progress: vr.o.Progress, note: vr.note, stopped: vr.stopReason})
	if v != nil && len(allocs[0]) > 0 && len(allocs[1]) > 0 {
		v.AllocsBefore, v.AllocsAfter = ptr(mean(allocs[0])), ptr(mean(allocs[1]))
	}
	return v, err
}

// decide runs sessions (measure is the seam: tests hand it synthetic
// samples) and turns them into a verdict. A promising but inconclusive
// result (p < 0.2 with a gain) is extended by more sessions, pooled, up to
// maxSessions; a small win must then be confirmed by an independent
// session pointing the same way (p < 0.2) before it counts. In simulation
// (shared drift plus heavy-tailed noise up to 30%), no A/A comparison out
// of 9000 was a win, and a 5% gain under 2% noise was found 99.9% of the
// time. A rewrite whose tests fail (tests "fail", or failed from a
// session) is measured once and never a win. The result is nil when the
// sessions stopped before two runs of each side.
func decide(measure session, tests, what string, r reporter) (*report.Verified, error) {
	var before, after []float64
	var res *report.Verified
	run := func() (stopped bool, err error) {
		b, a, stopped, failed, err := measure()
		if err != nil {
			return false, err
		}
		if failed {
			tests = "fail"
		}
		before, after = append(before, b...), append(after, a...)
		return stopped, nil
	}
	for s := range maxSessions {
		stopped, err := run()
		if err != nil {
			return nil, err
		}
		if len(before) < 2 || len(after) < 2 {
			r.note("%s: %s before it could be measured", what, r.stopped())
			return nil, nil
		}
		if res, err = benchstat.CompareRuns(before, after, tests); err != nil {
			return nil, err
		}
		if stopped {
			r.note("%s: %s after %d runs", what, r.stopped(), len(before))
			return res, nil
		}
		if benchstat.Win(res) || tests == "fail" || res.P >= 0.2 || res.Speedup < 1+benchstat.VerifyMinGain || s == maxSessions-1 {
			break
		}
		r.progress(fmt.Sprintf("verify %s: inconclusive after %d runs (%.2f×, p=%.2f), measuring more", what, len(before), res.Speedup, res.P))
	}
	if !benchstat.Win(res) || res.Speedup >= confirmBelow {
		return res, nil
	}
	r.progress(fmt.Sprintf("verify %s: %.2f× faster, measuring again to confirm", what, res.Speedup))
	n, m := len(before), len(after)
	stopped, err := run()
	if err != nil {
		return nil, err
	}
	if stopped || len(before)-n < 2 || len(after)-m < 2 {
		r.note("%s: %s before the gain could be confirmed; all %d runs pooled", what, r.stopped(), len(before))
		return benchstat.CompareRuns(before, after, tests)
	}
	again, err := benchstat.CompareRuns(before[n:], after[m:], tests)
	if err != nil {
		return nil, err
	}
	// The independent session must point the same way (it need not be
	// significant on its own: that would cost most of the power to see
	// gains of a few percent); then all runs are pooled.
	if again.Speedup <= 1 || again.P >= 0.2 {
		return again, nil // it says what the first session got wrong
	}
	return benchstat.CompareRuns(before, after, tests)
}

// samples returns the measurements of one A/B session: wall seconds per
// run, or with --bench the summed ns/op of each run (collecting allocs/op).
func (vr *verifier) samples(got *abtest.BinariesResult, allocs *[2][]float64) (before, after []float64, err error) {
	if vr.o.Bench == "" {
		return got.Seconds[0], got.Seconds[1], nil
	}
	var sides [2][]float64
	for side := range 2 {
		for _, out := range got.Outputs[side] {
			ns, a, hasAllocs, err := benchstat.Totals(out)
			if err != nil {
				return nil, nil, err
			}
			sides[side] = append(sides[side], ns)
			if hasAllocs {
				allocs[side] = append(allocs[side], a)
			}
		}
	}
	return sides[0], sides[1], nil
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
