package ci

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/profile/abtest"
)

// machine simulates a benchmark on a noisy machine: each round's speed
// drifts (other load, thermal state: common to both sides of the round),
// and every run adds its own lognormal noise of coefficient of variation
// cv. slowdown is head's true cost relative to base (1.3: 30% slower).
type machine struct {
	rng      *rand.Rand
	cv       float64
	slowdown float64
	// allocs returns one run's allocs/op and B/op of a side.
	allocs func(rng *rand.Rand, side string) (allocs, bytes float64)
	calls  int // measurements (first round and confirmation)
}

const simPkg = "example.com/sim"

// measure is a Measurer: count rounds of one benchmark on both sides.
func (m *machine) measure(_ context.Context, pkgs []abtest.Package, count int) ([]abtest.RunOutput, error) {
	m.calls++
	var outs []abtest.RunOutput
	for round := range count {
		drift := math.Exp(2 * m.cv * m.rng.NormFloat64())
		for _, side := range []string{abtest.Base, abtest.Head} {
			ns := 1000 * drift * math.Exp(m.cv*m.rng.NormFloat64())
			if side == abtest.Head {
				ns *= m.slowdown
			}
			allocs, bytes := 2.0, 64.0
			if m.allocs != nil {
				allocs, bytes = m.allocs(m.rng, side)
			}
			out := fmt.Sprintf("goos: linux\npkg: %s\nBenchmarkSim-2 \t 1000\t %.1f ns/op\t %g B/op\t %g allocs/op\n", simPkg, ns, bytes, allocs)
			outs = append(outs, abtest.RunOutput{ImportPath: simPkg, Side: side, Round: round, Output: []byte(out)})
		}
	}
	return outs, nil
}

// status returns the verdict of unit after the full procedure (measure,
// gate, confirm).
func (m *machine) status(t *testing.T, unit string) report.Verdict {
	t.Helper()
	pkgs := []abtest.Package{{ImportPath: simPkg}}
	_, gate, err := Decide(context.Background(), pkgs, m.measure, DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range gate.Verdicts {
		if v.Unit == unit {
			return v
		}
	}
	t.Fatalf("no %s verdict in %+v", unit, gate.Verdicts)
	return report.Verdict{}
}

// TestDecideAA: a tree compared with itself is never a regression. 2000
// seeded trials per noise level, with the default gate (10 rounds, α =
// 0.05, 5% threshold, confirmation in 20 fresh rounds).
func TestDecideAA(t *testing.T) {
	trials := 2000
	if testing.Short() || fewTrials {
		trials = 200
	}
	for _, cv := range []float64{0.01, 0.03, 0.05, 0.10, 0.20} {
		t.Run(fmt.Sprintf("cv=%g", cv), func(t *testing.T) {
			t.Parallel()
			m := &machine{rng: rand.New(rand.NewPCG(1, uint64(cv*1000))), cv: cv, slowdown: 1}
			flagged, confirmed := 0, 0
			for range trials {
				calls := m.calls
				v := m.status(t, "sec/op")
				if m.calls > calls+1 {
					flagged++ // the first measurement suspected a regression
				}
				if v.Status == report.StatusRegression {
					confirmed++
					t.Errorf("A/A trial flagged: %s", v.Reason)
				}
			}
			t.Logf("cv=%g: %d/%d trials suspected, %d confirmed", cv, flagged, trials, confirmed)
		})
	}
}

// TestDecidePower: a 30% slowdown is caught (confirmed) in at least 99% of
// seeded trials at up to 10% noise per run. At 20% the confirmation level
// (α/50) costs power: about 40% (raise --count on such a machine).
func TestDecidePower(t *testing.T) {
	trials := 500
	if testing.Short() || fewTrials {
		trials = 100
	}
	for _, tt := range []struct {
		cv, slowdown, power float64
	}{
		{0.01, 1.3, 0.99}, {0.05, 1.3, 0.99}, {0.10, 1.3, 0.99}, {0.20, 1.3, 0.30},
	} {
		t.Run(fmt.Sprintf("cv=%g", tt.cv), func(t *testing.T) {
			t.Parallel()
			m := &machine{rng: rand.New(rand.NewPCG(2, uint64(tt.cv*1000))), cv: tt.cv, slowdown: tt.slowdown}
			caught := 0
			for range trials {
				if m.status(t, "sec/op").Status == report.StatusRegression {
					caught++
				}
			}
			power := float64(caught) / float64(trials)
			t.Logf("cv=%g slowdown %g: caught %d/%d (%.1f%%)", tt.cv, tt.slowdown, caught, trials, 100*power)
			if power < tt.power {
				t.Errorf("power %.3f, want ≥ %.2f", power, tt.power)
			}
		})
	}
}

// TestDecideFewIterations: with one or two iterations per run, allocs/op and
// B/op are truncated averages that jump between rounds (0 or 1 allocation,
// 0 or 4 bytes). Such rows are noisy, never a regression, on A/A; a real
// growth in every round is still one.
func TestDecideFewIterations(t *testing.T) {
	flip := func(rng *rand.Rand, _ string) (float64, float64) {
		// One allocation of 8 bytes in every other iteration: with 1 or 2
		// iterations per run, the run sees 0 or 1 of it.
		if rng.IntN(2) == 0 {
			return 0, 0
		}
		return 1, 4
	}
	for i := range 200 {
		m := &machine{rng: rand.New(rand.NewPCG(3, uint64(i))), cv: 0.05, slowdown: 1, allocs: flip}
		for _, unit := range []string{"allocs/op", "B/op"} {
			if v := m.status(t, unit); v.Status != report.StatusNoisy {
				t.Fatalf("trial %d: %s %s (%s), want noisy", i, unit, v.Status, v.Reason)
			}
		}
	}
	// Head allocates 3 more objects in every run: a regression however
	// base's count varies.
	grow := func(rng *rand.Rand, side string) (float64, float64) {
		a, b := flip(rng, side)
		if side == abtest.Head {
			a, b = a+3, b+48
		}
		return a, b
	}
	m := &machine{rng: rand.New(rand.NewPCG(4, 0)), cv: 0.05, slowdown: 1, allocs: grow}
	for _, unit := range []string{"allocs/op", "B/op"} {
		if v := m.status(t, unit); v.Status != report.StatusRegression || !strings.Contains(v.Reason, "every round") {
			t.Errorf("growth: %s %s (%s), want a regression in every round", unit, v.Status, v.Reason)
		}
	}
	// Stable counts are compared as before: 2 → 3 allocations is a regression.
	steady := func(_ *rand.Rand, side string) (float64, float64) {
		if side == abtest.Head {
			return 3, 96
		}
		return 2, 64
	}
	m = &machine{rng: rand.New(rand.NewPCG(5, 0)), cv: 0.05, slowdown: 1, allocs: steady}
	if v := m.status(t, "allocs/op"); v.Status != report.StatusRegression || strings.Contains(v.Reason, "every round") {
		t.Errorf("stable growth: %s (%s), want a plain regression", v.Status, v.Reason)
	}
}
