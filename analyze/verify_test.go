package analyze

import (
	"math/rand/v2"
	"testing"
)

// noisy returns n measurements around center with ±5% uniform noise.
func noisy(r *rand.Rand, n int, center float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = center * (0.95 + 0.1*r.Float64())
	}
	return xs
}

func TestCompareRunsWin(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	v, err := CompareRuns(noisy(r, 10, 1.0), noisy(r, 10, 0.25), "pass")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Win() || v.Speedup < 3.5 || v.Speedup > 4.5 || v.CILow > v.Speedup || v.CIHigh < v.Speedup {
		t.Fatalf("4x faster rewrite: got %+v, Win=%v", v, v.Win())
	}
}

// TestCompareRunsAA checks that the same distribution on both sides is never
// reported as a win, across many seeds.
func TestCompareRunsAA(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 7))
		v, err := CompareRuns(noisy(r, 10, 1.0), noisy(r, 10, 1.0), "pass")
		if err != nil {
			t.Fatal(err)
		}
		if v.Win() {
			t.Fatalf("seed %d: A/A reported as a win: %+v", seed, v)
		}
	}
}

func TestCompareRunsRefusals(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	if v, _ := CompareRuns(noisy(r, 10, 1.0), noisy(r, 10, 0.5), "fail"); v.Win() {
		t.Error("a rewrite that fails tests was reported as a win")
	}
	if v, _ := CompareRuns([]float64{1, 1.1}, []float64{0.5, 0.4}, "pass"); v.Win() {
		t.Error("two runs cannot be significant, but Win was true")
	}
	if _, err := CompareRuns(nil, []float64{1}, "none"); err == nil {
		t.Error("no measurements: want error")
	}
}
