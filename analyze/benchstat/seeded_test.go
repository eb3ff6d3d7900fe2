package benchstat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

// lognormal returns n runs of a program whose cost is center, with
// lognormal noise of coefficient of variation about cv.
func lognormal(r *rand.Rand, n int, center, cv float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = center * math.Exp(cv*r.NormFloat64())
	}
	return xs
}

// TestWinAA: how often the verify verdict of one session calls a rewrite
// that changes nothing a win — 2000 seeded trials at each noise level, 10
// runs per side (the default --verify-runs). A single session at α = 0.05
// cannot make that impossible without losing the power to see gains of a
// few percent; its conservative interval keeps it near 1 in 2000 (measured
// over 20000 trials per level: 0 at 1% noise, 10-12 at 5-20%), and verify
// measures small wins a second time.
func TestWinAA(t *testing.T) {
	trials := 2000
	if testing.Short() || fewTrials {
		trials = 200
	}
	total := 0
	for _, cv := range []float64{0.01, 0.05, 0.10, 0.20} {
		r := rand.New(rand.NewPCG(11, uint64(cv*1000)))
		wins := 0
		for range trials {
			v, err := CompareRuns(lognormal(r, 10, 1, cv), lognormal(r, 10, 1, cv), "pass")
			if err != nil {
				t.Fatal(err)
			}
			if Win(v) {
				wins++
			}
		}
		t.Logf("cv=%g: %d/%d A/A trials a win", cv, wins, trials)
		if cv <= 0.01 && wins > 0 {
			t.Errorf("cv=%g: %d A/A wins, want none (below VerifyMinGain)", cv, wins)
		}
		total += wins
	}
	if rate := float64(total) / float64(4*trials); rate > 0.002 {
		t.Errorf("A/A win rate %.4f, want ≤ 0.002", rate)
	}
}

// TestWinPower: a rewrite that is 30% faster (speedup 1/0.7) is verified in
// nearly every seeded trial at up to 5% noise, and most at 10%.
func TestWinPower(t *testing.T) {
	for _, tt := range []struct{ cv, power float64 }{{0.01, 0.99}, {0.05, 0.99}, {0.10, 0.90}} {
		r := rand.New(rand.NewPCG(12, uint64(tt.cv*1000)))
		const trials = 500
		wins := 0
		for range trials {
			v, err := CompareRuns(lognormal(r, 10, 1, tt.cv), lognormal(r, 10, 0.7, tt.cv), "pass")
			if err != nil {
				t.Fatal(err)
			}
			if Win(v) {
				wins++
			}
		}
		power := float64(wins) / trials
		t.Logf("cv=%g: 30%% faster verified in %d/%d trials", tt.cv, wins, trials)
		if power < tt.power {
			t.Errorf("cv=%g: power %.3f, want ≥ %.2f", tt.cv, power, tt.power)
		}
	}
}

// rounds parses interleaved rounds with the given per-round values of
// sec/op, allocs/op and B/op on each side.
func rounds(t *testing.T, base, head [][3]float64) *report.Comparison {
	t.Helper()
	var rs Results
	line := func(v [3]float64) string {
		return fmt.Sprintf("pkg: example.com/p\nBenchmarkX-2 \t 1\t %g ns/op\t %g B/op\t %g allocs/op\n", v[0], v[2], v[1])
	}
	for i := range base {
		if err := rs.ParseRound(strings.NewReader(line(base[i])), "b", "base", i); err != nil {
			t.Fatal(err)
		}
		if err := rs.ParseRound(strings.NewReader(line(head[i])), "h", "head", i); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Compare(&rs, Options{Base: "base", Head: "head"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGateNoisyAllocs: with one or two iterations per run, allocs/op and
// B/op are truncated averages that jump between rounds. They are compared
// only when stable across rounds; otherwise the verdict is noisy.
func TestGateNoisyAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 0))
	gen := func(n int, allocs, bytes func(i int) float64) [][3]float64 {
		out := make([][3]float64, n)
		for i := range out {
			out[i] = [3]float64{1000 * math.Exp(0.05*r.NormFloat64()), allocs(i), bytes(i)}
		}
		return out
	}
	coin := func(a, b float64) func(int) float64 {
		return func(int) float64 {
			if r.IntN(2) == 0 {
				return a
			}
			return b
		}
	}
	constant := func(x float64) func(int) float64 { return func(int) float64 { return x } }
	tests := []struct {
		name       string
		base, head [][3]float64
		allocs, b  string // statuses of allocs/op and B/op
	}{
		// Medians 0 vs 0.5 or 4 vs 0: rounding, not a change.
		{"flip", gen(10, coin(0, 1), coin(0, 4)), gen(10, coin(0, 1), coin(0, 4)), report.StatusNoisy, report.StatusNoisy},
		{"flip vs zero", gen(10, coin(0, 1), coin(0, 4)), gen(10, constant(0), constant(0)), report.StatusNoisy, report.StatusNoisy},
		{"stable", gen(10, constant(2), constant(64)), gen(10, constant(2), constant(64)), report.StatusUnchanged, report.StatusUnchanged},
		// B/op within its 1% threshold, or within 2 bytes, between rounds is stable.
		{"bytes jitter", gen(10, constant(2), coin(1024, 1034)), gen(10, constant(2), coin(1024, 1034)), report.StatusUnchanged, report.StatusUnchanged},
		{"truncation", gen(10, constant(8), func(i int) float64 { return 64 - float64(i%5/4) }), gen(10, constant(8), constant(64)), report.StatusUnchanged, report.StatusUnchanged},
		{"stable growth", gen(10, constant(2), constant(64)), gen(10, constant(3), constant(96)), report.StatusRegression, report.StatusRegression},
		// Worse in every round than base in any: a regression despite the noise.
		{"noisy growth", gen(10, coin(0, 1), coin(0, 4)), gen(10, coin(5, 6), coin(80, 84)), report.StatusRegression, report.StatusRegression},
		{"noisy drop", gen(10, coin(5, 6), coin(80, 84)), gen(10, coin(0, 1), coin(0, 4)), report.StatusNoisy, report.StatusNoisy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Gate(rounds(t, tt.base, tt.head), DefaultThresholds())
			if err != nil {
				t.Fatal(err)
			}
			for unit, want := range map[string]string{"allocs/op": tt.allocs, "B/op": tt.b} {
				if v := benchStatus(t, g, unit); v.Status != want {
					t.Errorf("%s: %s (%s), want %s", unit, v.Status, v.Reason, want)
				}
			}
		})
	}
}

// TestGateAASeeded: the first measurement alone (no confirmation) flags an
// A/A comparison at most about α/2 of the time, and never below 3% noise
// (the 5% threshold).
func TestGateAASeeded(t *testing.T) {
	for _, tt := range []struct{ cv, rate float64 }{{0.01, 0}, {0.02, 0}, {0.10, 0.04}} {
		r := rand.New(rand.NewPCG(14, uint64(tt.cv*1000)))
		const trials = 1000
		flagged := 0
		for range trials {
			base := make([][3]float64, 10)
			head := make([][3]float64, 10)
			for i := range base {
				drift := math.Exp(2 * tt.cv * r.NormFloat64())
				base[i] = [3]float64{1000 * drift * math.Exp(tt.cv*r.NormFloat64()), 2, 64}
				head[i] = [3]float64{1000 * drift * math.Exp(tt.cv*r.NormFloat64()), 2, 64}
			}
			g, err := Gate(rounds(t, base, head), DefaultThresholds())
			if err != nil {
				t.Fatal(err)
			}
			flagged += g.Count(report.StatusRegression)
		}
		if rate := float64(flagged) / trials; rate > tt.rate {
			t.Errorf("cv=%g: A/A flagged in %d/%d trials, want a rate ≤ %g", tt.cv, flagged, trials, tt.rate)
		}
	}
}
