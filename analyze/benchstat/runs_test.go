package benchstat

import (
	"math"
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
	if !Win(v) || v.Speedup < 3.5 || v.Speedup > 4.5 || v.CILow > v.Speedup || v.CIHigh < v.Speedup {
		t.Fatalf("4x faster rewrite: got %+v, Win=%v", v, Win(v))
	}
}

// TestCompareRunsTooFewRuns: 4 or 5 runs per side can reach p < 0.05, but
// the median's 95% interval is unbounded, so there is no interval to exclude 1.
func TestCompareRunsTooFewRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := 4; n <= VerifyMinRuns; n++ {
		v, err := CompareRuns(noisy(r, n, 1.0), noisy(r, n, 0.01), "none")
		if err != nil {
			t.Fatal(err)
		}
		if want := n >= VerifyMinRuns; Win(v) != want {
			t.Errorf("%d runs of a 100x rewrite: Win=%v, want %v (%+v)", n, Win(v), want, v)
		}
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
		if Win(v) {
			t.Fatalf("seed %d: A/A reported as a win: %+v", seed, v)
		}
	}
}

func TestCompareRunsRefusals(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	if v, _ := CompareRuns(noisy(r, 10, 1.0), noisy(r, 10, 0.5), "fail"); Win(v) {
		t.Error("a rewrite that fails tests was reported as a win")
	}
	if v, _ := CompareRuns([]float64{1, 1.1}, []float64{0.5, 0.4}, "pass"); Win(v) {
		t.Error("two runs cannot be significant, but Win was true")
	}
	if _, err := CompareRuns(nil, []float64{1}, "none"); err == nil {
		t.Error("no measurements: want error")
	}
}

func TestTotals(t *testing.T) {
	out := []byte("goos: linux\ngoarch: amd64\npkg: example.com/x\nBenchmarkA-2   \t 1000\t  1500 ns/op\t  64 B/op\t  2 allocs/op\nBenchmarkB-2   \t 2000\t   500 ns/op\t   0 B/op\t  1 allocs/op\nPASS\n")
	ns, allocs, ok, err := Totals(out)
	if err != nil || !ok || math.Abs(ns-2000) > 1e-6 || allocs != 3 {
		t.Errorf("Totals = %v ns, %v allocs, %v, %v; want 2000, 3, true", ns, allocs, ok, err)
	}
	if _, _, ok, err := Totals([]byte("BenchmarkA-2 \t 10 \t 100 ns/op\n")); err != nil || ok {
		t.Errorf("without -benchmem: ok %v, err %v", ok, err)
	}
	for _, bad := range []string{"PASS\n", "", "BenchmarkA-2 \t 10 \t NaN ns/op\n"} {
		if _, _, _, err := Totals([]byte(bad)); err == nil {
			t.Errorf("Totals(%q): want an error", bad)
		}
	}
}

func FuzzTotals(f *testing.F) {
	f.Add([]byte("BenchmarkA-2 \t 1000 \t 1500 ns/op \t 2 allocs/op\n"))
	f.Add([]byte("goos: linux\nBenchmarkX/sub=1-8 1 2 ns/op 3 B/op\n"))
	f.Fuzz(func(t *testing.T, out []byte) {
		ns, allocs, _, err := Totals(out)
		if err == nil && (math.IsNaN(ns) || math.IsNaN(allocs)) {
			t.Errorf("NaN totals without an error: %v %v", ns, allocs)
		}
	})
}
