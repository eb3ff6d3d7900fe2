package verify

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
)

// synthetic returns sessions of 10 interleaved rounds: a drift shared by
// both sides in each round, heavy-tailed noise of scale sigma on each run,
// and the rewrite faster by effect. calls counts the sessions.
func synthetic(r *rand.Rand, effect, sigma float64, calls *int) session {
	return func() (before, after []float64, stopped, failed bool, err error) {
		*calls++
		for range 10 {
			drift := math.Exp(r.NormFloat64() * sigma)
			before = append(before, drift*math.Exp(math.Abs(r.NormFloat64())*sigma))
			after = append(after, drift*math.Exp(math.Abs(r.NormFloat64())*sigma)/effect)
		}
		return before, after, false, false, nil
	}
}

// quiet discards what decide says; notes, if non-nil, collects the notes.
func quiet(notes *[]string) reporter {
	return reporter{
		progress: func(string) {},
		note: func(format string, args ...any) {
			if notes != nil {
				*notes = append(*notes, format)
			}
		},
		stopped: func() string { return errBudget.Error() },
	}
}

// TestDecideAA: the original against itself is never a win, whatever the
// noise, across 1000 seeds per noise level (extensions and confirmations
// included).
func TestDecideAA(t *testing.T) {
	for _, sigma := range []float64{0.01, 0.05, 0.2, 0.5} {
		for seed := range uint64(1000) {
			calls := 0
			v, err := decide(synthetic(rand.New(rand.NewPCG(seed, 99)), 1, sigma, &calls), "pass", "aa", quiet(nil))
			if err != nil {
				t.Fatal(err)
			}
			if benchstat.Win(v) {
				t.Fatalf("sigma %.2f seed %d: A/A reported as a win: %+v", sigma, seed, v)
			}
			if calls > maxSessions+1 {
				t.Fatalf("%d sessions, want at most %d", calls, maxSessions+1)
			}
		}
	}
}

// TestDecideFindsGains: real gains are verified, a 3× one in every seed
// from one session, small ones after a confirming session.
func TestDecideFindsGains(t *testing.T) {
	for _, tc := range []struct {
		effect, sigma float64
		minCalls      int
		minWins       int // of 20 seeds
	}{
		{3, 0.1, 1, 20},     // large: one session, always
		{1.08, 0.01, 2, 19}, // small: confirmed by a second session
	} {
		wins := 0
		for seed := range uint64(20) {
			calls := 0
			v, err := decide(synthetic(rand.New(rand.NewPCG(seed, 5)), tc.effect, tc.sigma, &calls), "pass", "gain", quiet(nil))
			if err != nil {
				t.Fatal(err)
			}
			if benchstat.Win(v) {
				wins++
				if calls < tc.minCalls {
					t.Errorf("effect %.2f: won after %d sessions, want at least %d", tc.effect, calls, tc.minCalls)
				}
			}
		}
		if wins < tc.minWins {
			t.Errorf("effect %.2f under %.0f%% noise: verified in %d of 20 cases, want %d", tc.effect, 100*tc.sigma, wins, tc.minWins)
		}
	}
}

// TestDecideFailingTestsNeverWin: a 3× faster rewrite whose tests fail
// (before measuring, or its output check) is measured once and is never a
// win.
func TestDecideFailingTestsNeverWin(t *testing.T) {
	for seed := range uint64(100) {
		calls := 0
		v, err := decide(synthetic(rand.New(rand.NewPCG(seed, 7)), 3, 0.05, &calls), "fail", "f", quiet(nil))
		if err != nil || v == nil || v.Tests != "fail" || benchstat.Win(v) || calls != 1 {
			t.Fatalf("seed %d: tests failing: %+v, %v after %d sessions; want tests=fail, measured once, no win", seed, v, err, calls)
		}
		calls = 0
		inner := synthetic(rand.New(rand.NewPCG(seed, 8)), 3, 0.05, &calls)
		failing := func() ([]float64, []float64, bool, bool, error) {
			b, a, s, _, err := inner()
			return b, a, s, true, err
		}
		v, err = decide(failing, "pass", "f", quiet(nil))
		if err != nil || v == nil || v.Tests != "fail" || benchstat.Win(v) || calls != 1 {
			t.Fatalf("seed %d: output check failing: %+v, %v after %d sessions; want tests=fail, measured once", seed, v, err, calls)
		}
	}
}

// TestDecideTooFewRuns: a 3× gain measured in fewer runs than a 95%
// interval needs (the budget stopped the session) is not verified.
func TestDecideTooFewRuns(t *testing.T) {
	for runs := 2; runs < benchstat.VerifyMinRuns; runs++ {
		r := rand.New(rand.NewPCG(uint64(runs), 3))
		short := func() (before, after []float64, stopped, failed bool, err error) {
			for range runs {
				before = append(before, 3*(1+0.01*r.Float64()))
				after = append(after, 1+0.01*r.Float64())
			}
			return before, after, true, false, nil
		}
		var notes []string
		v, err := decide(short, "pass", "short", quiet(&notes))
		if err != nil || v == nil || v.Runs != runs || benchstat.Win(v) {
			t.Errorf("%d runs of a 3× gain: %+v, %v; want measured, not a win", runs, v, err)
		}
		if len(notes) != 1 || !strings.Contains(notes[0], "after %d runs") {
			t.Errorf("%d runs: notes %q, want the budget's", runs, notes)
		}
	}
}

func TestDecideErrors(t *testing.T) {
	boom := errors.New("exit status 2")
	if _, err := decide(func() ([]float64, []float64, bool, bool, error) { return nil, nil, false, false, boom }, "pass", "f", quiet(nil)); !errors.Is(err, boom) {
		t.Errorf("a failing run: err %v", err)
	}
	var notes []string
	v, err := decide(func() ([]float64, []float64, bool, bool, error) { return []float64{1}, []float64{1}, true, false, nil },
		"pass", "f", quiet(&notes))
	if v != nil || err != nil || len(notes) != 1 {
		t.Errorf("budget used up after one run: %+v, %v, notes %q", v, err, notes)
	}
}

// describe is the tests' wording of a verdict in logs.
func describe(v *report.Verified) string {
	if v == nil {
		return "not measured"
	}
	return fmt.Sprintf("%.2f× (95%% CI %.2f–%.2f×, p=%.3f, %d runs, tests %s, win %v)", v.Speedup, v.CILow, v.CIHigh, v.P, v.Runs, v.Tests, benchstat.Win(v))
}
