package main

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/advisor-dev/advisor/analyze/benchstat"
)

// synthetic returns sessions of 10 interleaved rounds: a drift shared by
// both sides in each round, heavy-tailed noise of scale sigma on each run,
// and the rewrite faster by effect. calls counts the sessions.
func synthetic(r *rand.Rand, effect, sigma float64, calls *int) abSession {
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

func quiet(string)             {}
func quietNote(string, ...any) {}

// TestDecideAA: the original against itself is never a win, whatever the
// noise, across many seeds (extensions and confirmations included).
func TestDecideAA(t *testing.T) {
	for _, sigma := range []float64{0.01, 0.05, 0.2, 0.5} {
		for seed := range uint64(300) {
			calls := 0
			v, err := decide(synthetic(rand.New(rand.NewPCG(seed, 99)), 1, sigma, &calls), "pass", "aa", quiet, quietNote)
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

// TestDecideFindsGains: real gains are verified, small ones after a
// confirming session.
func TestDecideFindsGains(t *testing.T) {
	for _, tc := range []struct {
		effect, sigma float64
		minCalls      int
	}{
		{3, 0.1, 1},     // large: one session
		{1.08, 0.01, 2}, // small: confirmed by a second session
	} {
		wins := 0
		for seed := range uint64(20) {
			calls := 0
			v, err := decide(synthetic(rand.New(rand.NewPCG(seed, 5)), tc.effect, tc.sigma, &calls), "pass", "gain", quiet, quietNote)
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
		if wins < 19 {
			t.Errorf("effect %.2f under %.0f%% noise: verified in %d of 20 cases", tc.effect, 100*tc.sigma, wins)
		}
	}
}

func TestDecideFailures(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	calls := 0
	inner := synthetic(r, 3, 0.05, &calls)
	failing := func() ([]float64, []float64, bool, bool, error) {
		b, a, s, _, err := inner()
		return b, a, s, true, err
	}
	v, err := decide(failing, "pass", "f", quiet, quietNote)
	if err != nil || v.Tests != "fail" || benchstat.Win(v) || calls != 1 {
		t.Errorf("a rewrite failing its check: %+v, %v after %d sessions; want tests=fail, measured once", v, err, calls)
	}

	boom := errors.New("exit status 2")
	if _, err := decide(func() ([]float64, []float64, bool, bool, error) { return nil, nil, false, false, boom }, "pass", "f", quiet, quietNote); !errors.Is(err, boom) {
		t.Errorf("a failing run: err %v", err)
	}

	var notes int
	v, err = decide(func() ([]float64, []float64, bool, bool, error) { return []float64{1}, []float64{1}, true, false, nil },
		"pass", "f", quiet, func(string, ...any) { notes++ })
	if v != nil || err != nil || notes != 1 {
		t.Errorf("budget used up after one run: %+v, %v, %d notes", v, err, notes)
	}
}
