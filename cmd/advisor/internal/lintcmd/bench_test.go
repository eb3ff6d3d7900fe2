package lintcmd

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/google/pprof/profile"
)

func TestHasBenchmark(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.go", "package a\n\nfunc BenchmarkNotATest(b *testing.B) {}\n") // not a _test.go file
	write("a_test.go", "package a\n\n// func BenchmarkInAComment(b *testing.B)\nfunc TestA(t *testing.T) {}\n")
	if hasBenchmark(dir) {
		t.Errorf("benchmark found in a non-test file or a comment")
	}
	write("b_test.go", "package a\n\nimport \"testing\"\n\nfunc BenchmarkB(b *testing.B) {}\n")
	if !hasBenchmark(dir) {
		t.Errorf("BenchmarkB not found")
	}
}

// cpuProfile is a CPU profile of n samples at file:line in function fn, and
// rest samples in another package's function.
func cpuProfile(fn, file string, line, n, rest int) *profile.Profile {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
	}
	f1 := &profile.Function{ID: 1, Name: fn, SystemName: fn, Filename: file}
	f2 := &profile.Function{ID: 2, Name: "other.spin", SystemName: "other.spin", Filename: "/src/mod/other/spin.go"}
	l1 := &profile.Location{ID: 1, Address: 0x1000, Line: []profile.Line{{Function: f1, Line: int64(line)}}}
	l2 := &profile.Location{ID: 2, Address: 0x2000, Line: []profile.Line{{Function: f2, Line: 3}}}
	p.Function = []*profile.Function{f1, f2}
	p.Location = []*profile.Location{l1, l2}
	for i := 0; i < n+rest; i++ {
		loc := l1
		if i >= n {
			loc = l2
		}
		p.Sample = append(p.Sample, &profile.Sample{Location: []*profile.Location{loc}, Value: []int64{1, 10_000_000}})
	}
	return p
}

// TestRankBy: benchmark profiles count each on its own (a long one of
// another package does not dilute a finding's share); default.pgo files
// are merged.
func TestRankBy(t *testing.T) {
	hot := report.Finding{Rule: "stringconcat", File: "p/p.go", Line: 9, Function: "m/p.Hot"}
	elsewhere := report.Finding{Rule: "prealloc", File: "q/q.go", Line: 4, Function: "m/q.F"}
	ps := func() []*profile.Profile {
		return []*profile.Profile{
			cpuProfile("m/p.Hot", "/src/mod/p/p.go", 9, 50, 50), // p's benchmarks: half the samples on the line
			cpuProfile("m/p.Hot", "/src/mod/p/p.go", 9, 0, 900), // another package's, nine times as long
		}
	}
	files := []string{"0.pprof", "1.pprof"}
	for _, tc := range []struct {
		merge bool
		want  float64
	}{
		{false, 0.5},
		{true, 50.0 / 1000},
	} {
		share, profiled, n, err := rankBy(ps(), tc.merge, "/src/mod", files)
		if err != nil {
			t.Fatal(err)
		}
		if got := share(hot); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("merge=%v: share %.3f, want %.3f", tc.merge, got, tc.want)
		}
		if !profiled(hot) || profiled(elsewhere) {
			t.Errorf("merge=%v: profiled(p) %v, profiled(q) %v; want true, false", tc.merge, profiled(hot), profiled(elsewhere))
		}
		if wantN := map[bool]int{false: 2, true: 1}[tc.merge]; n != wantN {
			t.Errorf("merge=%v: %d sampled profiles, want %d", tc.merge, n, wantN)
		}
	}
	if _, _, n, err := rankBy([]*profile.Profile{cpuProfile("m/p.Hot", "/src/mod/p/p.go", 9, 0, 0)}, false, "/src/mod", files[:1]); err != nil || n != 0 {
		t.Errorf("a profile without samples: %d sampled, %v; want 0, nil", n, err)
	}
}
