package benchstat

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"
)

// benchText renders go test -bench lines: one line per value of ns, with
// fixed B/op and allocs/op.
func benchText(name string, ns []float64, bytes, allocs float64) string {
	var b strings.Builder
	b.WriteString("goos: linux\npkg: example.com/p\n")
	for _, v := range ns {
		fmt.Fprintf(&b, "Benchmark%s-2 \t 1000\t %g ns/op\t %g B/op\t %g allocs/op\n", name, v, bytes, allocs)
	}
	return b.String()
}

// benchSeries returns n values around center with a deterministic ±spread
// pattern (no randomness: tests must be reproducible).
func benchSeries(n int, center, spread float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		// Spread evenly over [-spread, +spread].
		f := -1 + 2*float64(i)/float64(max(n-1, 1))
		out[i] = center * (1 + spread*f)
	}
	return out
}

func benchCompare(t *testing.T, base, head string) *report.Comparison {
	t.Helper()
	var rs Results
	if err := rs.Parse(strings.NewReader(base), "base.txt", "base"); err != nil {
		t.Fatal(err)
	}
	if err := rs.Parse(strings.NewReader(head), "head.txt", "head"); err != nil {
		t.Fatal(err)
	}
	c, err := Compare(&rs, Options{Base: "base", Head: "head"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func benchStatus(t *testing.T, g *GateResult, unit string) report.Verdict {
	t.Helper()
	for _, v := range g.Verdicts {
		if v.Unit == unit {
			return v
		}
	}
	t.Fatalf("no verdict for unit %s in %+v", unit, g.Verdicts)
	return report.Verdict{}
}

func TestGate(t *testing.T) {
	pct := func(f float64) *float64 { return &f }
	tests := []struct {
		name               string
		base, head         string
		gate               func(*Thresholds)
		sec, bytes, allocs string // expected statuses
	}{
		{
			name: "30% slowdown",
			base: benchText("X", benchSeries(10, 1000, 0.02), 64, 1),
			head: benchText("X", benchSeries(10, 1300, 0.02), 64, 1),
			sec:  report.StatusRegression, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "30% speedup",
			base: benchText("X", benchSeries(10, 1300, 0.02), 64, 1),
			head: benchText("X", benchSeries(10, 1000, 0.02), 64, 1),
			sec:  report.StatusImprovement, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "1% slower, significant but below threshold",
			base: benchText("X", benchSeries(10, 1000, 0.001), 64, 1),
			head: benchText("X", benchSeries(10, 1010, 0.001), 64, 1),
			sec:  report.StatusUnchanged, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "A/A",
			base: benchText("X", benchSeries(10, 1000, 0.05), 64, 1),
			head: benchText("X", benchSeries(10, 1000, 0.05), 64, 1),
			sec:  report.StatusUnchanged, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "10% slower but too noisy to be significant",
			base: benchText("X", []float64{900, 1000, 1300, 950, 1250, 1100}, 0, 0),
			head: benchText("X", []float64{1000, 1100, 1400, 1000, 900, 1200}, 0, 0),
			sec:  report.StatusUnchanged, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "extra allocation",
			base: benchText("X", benchSeries(10, 1000, 0.02), 64, 1),
			head: benchText("X", benchSeries(10, 1000, 0.02), 80, 2),
			sec:  report.StatusUnchanged, bytes: report.StatusRegression, allocs: report.StatusRegression,
		},
		{
			name: "first allocation (from zero)",
			base: benchText("X", benchSeries(10, 1000, 0.02), 0, 0),
			head: benchText("X", benchSeries(10, 1000, 0.02), 16, 1),
			sec:  report.StatusUnchanged, bytes: report.StatusRegression, allocs: report.StatusRegression,
		},
		{
			name: "B/op within 1%",
			base: benchText("X", benchSeries(10, 1000, 0.02), 1000, 3),
			head: benchText("X", benchSeries(10, 1000, 0.02), 1008, 3),
			sec:  report.StatusUnchanged, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "too few samples",
			base: benchText("X", benchSeries(3, 1000, 0.02), 64, 1),
			head: benchText("X", benchSeries(3, 2000, 0.02), 64, 1),
			sec:  report.StatusUndecided, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "override raises the threshold",
			base: benchText("X", benchSeries(10, 1000, 0.02), 64, 1),
			head: benchText("X", benchSeries(10, 1300, 0.02), 80, 2),
			gate: func(g *Thresholds) {
				g.Overrides = []Override{{Match: regexp.MustCompile(`^X`), Threshold: pct(0.5), AllocsThreshold: pct(1.5), BytesThreshold: pct(0.5)}}
			},
			sec: report.StatusUnchanged, bytes: report.StatusUnchanged, allocs: report.StatusUnchanged,
		},
		{
			name: "override ignores",
			base: benchText("X", benchSeries(10, 1000, 0.02), 64, 1),
			head: benchText("X", benchSeries(10, 1300, 0.02), 80, 2),
			gate: func(g *Thresholds) {
				g.Overrides = []Override{{Match: regexp.MustCompile(`^Y`), Threshold: pct(0)}, {Match: regexp.MustCompile(`X`), Ignore: true}}
			},
			sec: report.StatusIgnored, bytes: report.StatusIgnored, allocs: report.StatusIgnored,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := DefaultThresholds()
			if tt.gate != nil {
				tt.gate(&g)
			}
			res, err := Gate(benchCompare(t, tt.base, tt.head), g)
			if err != nil {
				t.Fatal(err)
			}
			for unit, want := range map[string]string{"sec/op": tt.sec, "B/op": tt.bytes, "allocs/op": tt.allocs} {
				if v := benchStatus(t, res, unit); v.Status != want {
					t.Errorf("%s: status %s (%s), want %s", unit, v.Status, v.Reason, want)
				}
			}
		})
	}
}

func TestGateHigherIsBetter(t *testing.T) {
	line := func(mbs float64) string {
		return fmt.Sprintf("BenchmarkCopy-2 1000 100 ns/op %g MB/s\n", mbs)
	}
	var base, head strings.Builder
	for i := range 8 {
		base.WriteString(line(1000 + float64(i)))
		head.WriteString(line(700 + float64(i)))
	}
	res, err := Gate(benchCompare(t, base.String(), head.String()), DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	v := benchStatus(t, res, "B/s")
	if v.Status != report.StatusRegression || v.Change == nil || math.Abs(*v.Change-(1003.5/703.5-1)) > 1e-9 {
		t.Errorf("throughput drop: got %s change %v, want a regression of %.4f", v.Status, v.Change, 1003.5/703.5-1)
	}
}

func TestGateAddedRemoved(t *testing.T) {
	base := benchText("Old", benchSeries(6, 1000, 0.02), 0, 0)
	head := benchText("New", benchSeries(6, 1000, 0.02), 0, 0)
	res, err := Gate(benchCompare(t, base, head), DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range res.Verdicts {
		got[v.Name] = v.Status
	}
	if got["Old-2"] != report.StatusRemoved || got["New-2"] != report.StatusAdded {
		t.Errorf("verdicts %v, want Old-2 removed and New-2 added", got)
	}
	if res.Count(report.StatusRegression) != 0 {
		t.Errorf("added/removed benchmarks must not be regressions")
	}
}

func TestGateBadConfig(t *testing.T) {
	c := benchCompare(t, benchText("X", benchSeries(5, 1, 0), 0, 0), benchText("X", benchSeries(5, 1, 0), 0, 0))
	for _, g := range []Thresholds{{Alpha: 0}, {Alpha: 0.05, Threshold: -1}, {Alpha: 0.05, BytesThreshold: math.NaN()}} {
		if _, err := Gate(c, g); err == nil {
			t.Errorf("Gate(%+v) succeeded, want an error", g)
		}
	}
}

func TestConfirm(t *testing.T) {
	first := &GateResult{Verdicts: []report.Verdict{
		{Name: "A", Unit: "sec/op", Status: report.StatusRegression},
		{Name: "B", Unit: "sec/op", Status: report.StatusRegression},
		{Name: "C", Unit: "sec/op", Status: report.StatusRegression},
		{Name: "D", Unit: "sec/op", Status: report.StatusUnchanged},
	}}
	second := &GateResult{Verdicts: []report.Verdict{
		{Name: "A", Unit: "sec/op", Status: report.StatusRegression, P: 0.001},
		{Name: "B", Unit: "sec/op", Status: report.StatusUnchanged, P: 0.4},
		{Name: "D", Unit: "sec/op", Status: report.StatusRegression},
	}}
	got := Confirm(first, second)
	want := []string{report.StatusRegression, report.StatusUnconfirmed, report.StatusUnconfirmed, report.StatusUnchanged}
	for i, v := range got.Verdicts {
		if v.Status != want[i] {
			t.Errorf("%s: %s, want %s", v.Name, v.Status, want[i])
		}
	}
	if got.Verdicts[0].Confirm == nil || got.Verdicts[0].Confirm.P != 0.001 {
		t.Errorf("confirmed verdict lacks the confirmation numbers: %+v", got.Verdicts[0].Confirm)
	}
	if first.Verdicts[1].Status != report.StatusRegression {
		t.Errorf("Confirm modified its input")
	}
}

func TestMinCount(t *testing.T) {
	// Mann-Whitney with n=m: 4 gives p ≥ 0.0286, 5 gives p ≥ 0.0079; the
	// signed-rank test over n pairs gives p ≥ 2/2^n: 0.0625 for 5, 0.03125
	// for 6, 0.0156 for 7, 0.0078 for 8.
	if got := MinCount(0.05); got != 6 {
		t.Errorf("MinCount(0.05) = %d, want 6", got)
	}
	if got := MinCount(0.01); got != 8 {
		t.Errorf("MinCount(0.01) = %d, want 8", got)
	}
	if got := mannWhitneyMinP(5, 5); math.Abs(got-0.007936507936507936) > 1e-12 {
		t.Errorf("mannWhitneyMinP(5,5) = %v", got)
	}
}

// TestCompareMatchesBenchstat checks the numbers behind benchstat's
// table for the committed files (the full text is compared byte for byte in
// cmd/advisor).
func TestCompareMatchesBenchstat(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "ci", "compare", "basic")
	var rs Results
	for _, f := range []string{"old.txt", "new.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := rs.Parse(strings.NewReader(string(data)), f, f); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Compare(&rs, Options{Base: "old.txt", Head: "new.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tables) != 3 || c.Tables[0].Unit != "sec/op" {
		t.Fatalf("got %d tables (first %q), want sec/op, B/op, allocs/op", len(c.Tables), c.Tables[0].Unit)
	}
	// From benchstat.golden: "Format-2 145.3n ± 11% 166.0n ± 7% +14.17% (p=0.015 n=8)".
	r := c.Tables[0].Rows[2]
	if r.Name != "Format-2" || benchunit.Scale(r.Base.Center, benchunit.Decimal) != "145.3n" || benchunit.Scale(r.Head.Center, benchunit.Decimal) != "166.0n" ||
		fmt.Sprintf("%.2f", *r.Delta*100) != "14.17" || fmt.Sprintf("%.3f", r.P) != "0.015" || r.N1 != 8 || r.N2 != 8 {
		t.Errorf("Format-2 row = %+v (base %+v head %+v)", r, r.Base, r.Head)
	}
	if s := (benchmath.Summary{Center: r.Base.Center, Lo: r.Base.Lo, Hi: r.Base.Hi, Confidence: r.Base.Confidence}).PctRangeString(); s != "11%" {
		t.Errorf("base CI %s, want 11%%", s)
	}
	// "geomean 40.62n 43.10n +6.10%".
	g := c.Tables[0].Geomean
	if benchunit.Scale(*g.Base, benchunit.Decimal) != "40.62n" || benchunit.Scale(*g.Head, benchunit.Decimal) != "43.10n" || fmt.Sprintf("%.2f", (*g.Ratio-1)*100) != "6.10" {
		t.Errorf("geomean %v %v %v", *g.Base, *g.Head, *g.Ratio)
	}
}

func TestParseBenchErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "no benchmark results"},
		{"only noise", "PASS\nok  \texample.com/p\t0.1s\n", "no benchmark results"},
		{"bad iterations", "BenchmarkX-2 lots 12 ns/op\n", "in.txt:1: parsing iteration count"},
		{"bad value", "goos: linux\nBenchmarkX-2 10 twelve ns/op\n", "in.txt:2: parsing measurement"},
		{"NaN", "BenchmarkX-2 10 NaN ns/op\n", "in.txt:1: BenchmarkX-2: ns/op value is not a finite number"},
		{"Inf", "BenchmarkX-2 10 1 ns/op 1 B/op\nBenchmarkX-2 10 1 ns/op +Inf B/op\n", "in.txt:2: BenchmarkX-2: B/op value is not a finite number"},
		{"missing unit", "BenchmarkX-2 10 12\n", "in.txt:1: missing units"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs Results
			err := rs.Parse(strings.NewReader(tt.in), "in.txt", "x")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if tt.want == "no benchmark results" && !errors.Is(err, ErrNoBenchmarks) {
				t.Errorf("error %v is not ErrNoBenchmarks", err)
			}
		})
	}
}

func TestCompareMissingSide(t *testing.T) {
	var rs Results
	if err := rs.Parse(strings.NewReader(benchText("X", []float64{1, 2}, 0, 0)), "a", "base"); err != nil {
		t.Fatal(err)
	}
	if _, err := Compare(&rs, Options{Base: "base", Head: "head"}); !errors.Is(err, ErrNoBenchmarks) {
		t.Errorf("error %v, want ErrNoBenchmarks for the missing head", err)
	}
	if _, err := Compare(&rs, Options{Base: "base", Head: "head", Alpha: 2}); err == nil {
		t.Errorf("alpha 2 accepted")
	}
}

// Too few samples leave the confidence interval unbounded (±Inf): the
// comparison must still encode as JSON, with those ends null.
func TestCompareJSONTooFewSamples(t *testing.T) {
	var rs Results
	if err := rs.Parse(strings.NewReader(benchText("X", []float64{10, 11, 12}, 0, 0)), "a", "base"); err != nil {
		t.Fatal(err)
	}
	if err := rs.Parse(strings.NewReader(benchText("X", []float64{20, 21, 22}, 0, 0)), "b", "head"); err != nil {
		t.Fatal(err)
	}
	c, err := Compare(&rs, Options{Base: "base", Head: "head"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("encoding a comparison of 3+3 samples: %v", err)
	}
	var back struct {
		Tables []struct {
			Rows []struct {
				Base map[string]any `json:"base"`
			} `json:"rows"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	cell := back.Tables[0].Rows[0].Base
	if center, _ := cell["center"].(float64); cell["lo"] != nil || cell["hi"] != nil || math.Abs(center-11e-9) > 1e-15 {
		t.Errorf("base cell %v, want center 11e-9 and null bounds", cell)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(benchText("X", []float64{1, 2, 3}, 16, 1))
	f.Add("goos: linux\nBenchmarkX/a=1-8 \t100\t 12.5 ns/op\t 3 MB/s\t1 custom/op\nUnit custom/op assume=exact better=higher\n")
	f.Add("BenchmarkX 1 1 ns/op\nBenchmark 2 x\nBenchmarkY-2 0 NaN ns/op\n")
	f.Fuzz(func(t *testing.T, in string) {
		var rs Results
		err := rs.Parse(strings.NewReader(in), "fuzz.txt", "base")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
			return
		}
		if len(rs.Results) == 0 {
			t.Fatal("no error and no results")
		}
		// Whatever parsed must also compare and gate without panicking.
		if err := rs.Parse(strings.NewReader(in), "fuzz.txt", "head"); err != nil {
			t.Fatalf("second parse of the same input failed: %v", err)
		}
		c, err := Compare(&rs, Options{Base: "base", Head: "head"})
		if err != nil {
			t.Fatal(err)
		}
		g, err := Gate(c, DefaultThresholds())
		if err != nil {
			t.Fatal(err)
		}
		if g.Count(report.StatusRegression) != 0 {
			t.Errorf("identical inputs gave a regression: %+v", g.Verdicts)
		}
	})
}

// benchRounds parses one result per round and side, as advisor ci does.
func benchRounds(t *testing.T, base, head []float64) *report.Comparison {
	t.Helper()
	var rs Results
	for i := range base {
		if err := rs.ParseRound(strings.NewReader(benchText("X", base[i:i+1], 0, 0)), "b", "base", i); err != nil {
			t.Fatal(err)
		}
		if err := rs.ParseRound(strings.NewReader(benchText("X", head[i:i+1], 0, 0)), "h", "head", i); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Compare(&rs, Options{Base: "base", Head: "head"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGatePaired checks that interleaved rounds are compared round by
// round: a machine whose speed drifts threefold between rounds hides a 30%
// slowdown from an unpaired test, but not from the paired one.
func TestGatePaired(t *testing.T) {
	drift := []float64{1, 3, 1.5, 2.5, 1.2, 2.8, 1.1, 2, 1.7, 2.2}
	var base, slow, same []float64
	for i, d := range drift {
		base = append(base, 1000*d)
		slow = append(slow, 1300*d*(1+0.01*float64(i%3)))
		same = append(same, 1000*d*(1+0.01*float64(i%3-1)))
	}
	c := benchRounds(t, base, slow)
	r := c.Tables[0].Rows[0]
	if r.P < 0.05 {
		t.Fatalf("test premise: the unpaired test should not see the slowdown (p=%v)", r.P)
	}
	if r.Paired == nil || r.Paired.N != 10 || math.Abs(r.Paired.Ratio-1.3*1.01) > 0.01 || r.Paired.P != 2.0/1024 {
		t.Fatalf("paired = %+v, want 10 rounds, ratio ≈ 1.31, p = 2/2^10", r.Paired)
	}
	g, err := Gate(c, DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	if v := benchStatus(t, g, "sec/op"); v.Status != report.StatusRegression || v.Test != "signed-rank" {
		t.Errorf("slowdown: %s by %s (%s), want a regression by the paired test", v.Status, v.Test, v.Reason)
	}

	g, err = Gate(benchRounds(t, base, same), DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	if v := benchStatus(t, g, "sec/op"); v.Status != report.StatusUnchanged {
		t.Errorf("A/A with drift: %s (%s), want unchanged", v.Status, v.Reason)
	}

	g, err = Gate(benchRounds(t, base[:5], slow[:5]), DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	if v := benchStatus(t, g, "sec/op"); v.Status != report.StatusUndecided {
		t.Errorf("5 rounds: %s (%s), want undecided (p cannot go below 2/2^5)", v.Status, v.Reason)
	}
}

func TestBenchPair(t *testing.T) {
	// Round 1 has two base values (ambiguous) and round 4 no head value:
	// rounds 0, 2 and 3 pair, with ratios 2, 0.5 and 1.
	p := pair([]float64{10, 10, 11, 10, 10, 10}, []int{0, 1, 1, 2, 3, 4}, []float64{20, 20, 5, 10}, []int{0, 1, 2, 3})
	if p == nil || p.N != 3 || p.Ratio != 1 || p.P != 1 {
		t.Errorf("benchPair = %+v, want 3 pairs, median ratio 1, p=1 (log ratios ±log 2 and 0)", p)
	}
	if p := pair([]float64{1}, []int{-1}, []float64{2}, []int{-1}); p != nil {
		t.Errorf("values without rounds paired: %+v", p)
	}
	if p := pair([]float64{0, 1}, []int{0, 1}, []float64{1, 1}, []int{0, 1}); p != nil {
		t.Errorf("a zero value paired: %+v", p)
	}
	for _, tt := range []struct {
		d    []float64
		want float64
	}{
		{nil, 1},
		{[]float64{0, 0, 0}, 1},
		{[]float64{0.2, 0.2, 0.2}, 0.25},       // all up: 2/2^3
		{[]float64{-1, 2, 3, 4, 5, 6}, 0.0625}, // W- = 1: P(W- ≤ 1) = 2/64, two-sided 4/64
		// Ranks 1..5 with 3 down: W+ = 12; 5 of the 32 sign patterns have
		// W+ ≥ 12 (their complements sum to ≤ 3), so p = 2·5/32.
		{[]float64{0.1, 0.2, -0.3, 0.4, 0.5}, 0.3125},
		// Tied magnitudes share rank 1.5 (doubled ranks 3, 3, 6): W+ = 9,
		// reached or exceeded by 3 of the 8 patterns, so p = 2·3/8.
		{[]float64{0.1, -0.1, 0.5}, 0.75},
	} {
		if got := signedRank(tt.d); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("signedRank(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}
