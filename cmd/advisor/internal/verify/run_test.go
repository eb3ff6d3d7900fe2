package verify

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/profile/abtest"
	"github.com/advisor-dev/advisor/rules/lint"
)

// fakeTools builds, vets and tests nothing and answers A/B sessions with
// ab: call counts the sessions, 0 being the reference run of the original.
func fakeTools(ab func(ctx context.Context, call int, o abtest.BinariesOptions) *abtest.BinariesResult) tools {
	calls := 0
	return tools{
		build:     func(_ context.Context, _ abtest.Variant, name string) (string, error) { return name, nil },
		buildTest: func(_ context.Context, _ abtest.Variant, name string) (string, error) { return name, nil },
		vet:       func(context.Context, abtest.Variant, ...string) error { return nil },
		test:      func(context.Context, abtest.Variant, bool, ...string) (bool, error) { return true, nil },
		allocs:    func(context.Context, abtest.Variant, []string) (float64, error) { return 100, nil },
		ab: func(ctx context.Context, o abtest.BinariesOptions) (*abtest.BinariesResult, error) {
			calls++
			return ab(ctx, calls-1, o), nil
		},
	}
}

// timings answers a session with o.Rounds runs of each binary: the
// original takes speedup times as long as the others, with a little
// deterministic spread.
func timings(o abtest.BinariesOptions, speedup float64) *abtest.BinariesResult {
	res := &abtest.BinariesResult{Seconds: make([][]float64, len(o.Binaries)), Output: make([][]byte, len(o.Binaries))}
	for b := range o.Binaries {
		res.Output[b] = []byte("same\n")
		for r := range o.Rounds {
			s := 1 + 0.001*float64((r*7+b*3)%10)
			if b == 0 {
				s *= speedup
			}
			res.Seconds[b] = append(res.Seconds[b], s)
		}
	}
	return res
}

// stopped is a session cut short by the context: no runs.
func stopped(o abtest.BinariesOptions) *abtest.BinariesResult {
	return &abtest.BinariesResult{Seconds: make([][]float64, len(o.Binaries)), Output: make([][]byte, len(o.Binaries)), Stopped: true}
}

// fixture is a module-less package directory with one Go file, a report
// of two hoist recommendations, and a candidate rewriting the file for
// each.
func fixture(t *testing.T) (dir, file string, rep *report.Report, cands []candidate) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "main.go")
	old := []byte("package main\n\nfunc main() {}\n")
	if err := os.WriteFile(file, old, 0o644); err != nil {
		t.Fatal(err)
	}
	rep = &report.Report{Recommendations: []report.Recommendation{{Kind: report.KindHoist, Text: "x"}, {Kind: report.KindHoist, Text: "y"}}}
	cands = []candidate{
		{rec: 0, what: "first", changes: []lint.Change{{File: file, Old: old, New: []byte("package main\n\nfunc main() { _ = 1 }\n")}}},
		{rec: 1, what: "second", changes: []lint.Change{{File: file + "2", Old: old, New: old}}},
	}
	return dir, file, rep, cands
}

func fakeOptions(dir string) Options {
	return Options{Dir: dir, Package: ".", PackageDir: dir, Budget: time.Hour, Runs: DefaultRuns}
}

// TestRunBudget: the budget running out mid-measurement says so, and
// names the rewrites not tried, deterministically (the fake session waits
// for the budget to end instead of racing it).
func TestRunBudget(t *testing.T) {
	dir, _, rep, cands := fixture(t)
	rep.Recommendations = append(rep.Recommendations, report.Recommendation{Kind: report.KindPGO, Text: "try pgo"})
	o := fakeOptions(dir)
	o.Budget = 20 * time.Millisecond
	fake := fakeTools(func(ctx context.Context, call int, ab abtest.BinariesOptions) *abtest.BinariesResult {
		if call == 0 {
			return timings(ab, 1)
		}
		<-ctx.Done()
		return stopped(ab)
	})
	res, err := run(context.Background(), rep, o, cands, fake)
	if err != nil || res.Interrupted {
		t.Fatalf("run: %+v, %v", res, err)
	}
	errs := strings.Join(rep.Errors, "\n")
	for _, want := range []string{
		"verify: first: --verify-budget used up before it could be measured",
		"verify: --verify-budget 20ms used up; 1 of 2 rewrites not tried",
		"verify: PGO: not measured: --verify-budget 20ms used up",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors lack %q:\n%s", want, errs)
		}
	}
	if rep.Recommendations[0].Verified != nil {
		t.Errorf("an unmeasured rewrite has a verdict: %+v", rep.Recommendations[0].Verified)
	}
}

// TestCandidatesNotGoSource: a concurrency recommendation whose hot line
// is in assembly (xxhash's writeBlocks) is declined with that reason, not
// with the loader's "not a file of package".
func TestCandidatesNotGoSource(t *testing.T) {
	rep := &report.Report{Recommendations: []report.Recommendation{{Kind: report.KindWorkers, Function: "v2.writeBlocks", File: "xxhash_amd64.s", Line: 197, Text: "x"}}}
	vr := &verifier{o: Options{ModuleDir: t.TempDir()}, rep: rep, ctx: context.Background()}
	if cands := vr.candidates(); len(cands) != 0 {
		t.Errorf("candidates %+v for assembly", cands)
	}
	if errs := strings.Join(rep.Errors, "\n"); !strings.Contains(errs, "xxhash_amd64.s is not Go source, so there is no loop to rewrite there") {
		t.Errorf("errors %q", errs)
	}
}

// TestRunInterrupted: Ctrl-C during a measurement stops verification,
// says "interrupted" and nothing of the budget, and --fix writes nothing,
// not even the win measured before.
func TestRunInterrupted(t *testing.T) {
	dir, file, rep, cands := fixture(t)
	before, _ := os.ReadFile(file)
	o := fakeOptions(dir)
	o.Fix = true
	var diff bytes.Buffer
	o.Diff = &diff
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fake := fakeTools(func(_ context.Context, call int, ab abtest.BinariesOptions) *abtest.BinariesResult {
		if call <= 1 {
			return timings(ab, 3) // the reference run, and "first": a 3× win
		}
		cancel()
		return stopped(ab)
	})
	res, err := run(ctx, rep, o, cands, fake)
	if err != nil || !res.Interrupted || len(res.Written) != 0 {
		t.Errorf("run: %+v, %v; want interrupted, nothing written", res, err)
	}
	if v := rep.Recommendations[0].Verified; !benchstat.Win(v) {
		t.Errorf("the win measured before the interrupt is not recorded: %+v", v)
	}
	errs := strings.Join(rep.Errors, "\n")
	if !strings.Contains(errs, "second: interrupted") || !strings.Contains(errs, "--fix: nothing written: interrupted") || strings.Contains(errs, "budget") {
		t.Errorf("errors:\n%s\nwant interrupted, no budget", errs)
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, before) || diff.Len() > 0 {
		t.Errorf("interrupted --fix wrote %q, printed %q", now, diff.String())
	}
}

// TestRunFixRefused: a file edited while --verify measured its rewrite is
// not written, its diff not printed, and Run says so in its error.
func TestRunFixRefused(t *testing.T) {
	dir, file, rep, cands := fixture(t)
	o := fakeOptions(dir)
	o.Fix = true
	var diff bytes.Buffer
	o.Diff = &diff
	edit := []byte("package main\n\n// edited meanwhile\nfunc main() {}\n")
	fake := fakeTools(func(_ context.Context, call int, ab abtest.BinariesOptions) *abtest.BinariesResult {
		if call == 1 {
			if err := os.WriteFile(file, edit, 0o644); err != nil {
				t.Error(err)
			}
		}
		return timings(ab, 3)
	})
	res, err := run(context.Background(), rep, o, cands[:1], fake)
	if !errors.Is(err, ErrChanged) || len(res.Written) != 0 {
		t.Errorf("run: %+v, %v; want ErrChanged and nothing written", res, err)
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, edit) || diff.Len() > 0 {
		t.Errorf("refused --fix wrote %q, printed %q", now, diff.String())
	}
	if !strings.Contains(strings.Join(rep.Errors, "\n"), "verify: --fix: nothing written") {
		t.Errorf("errors %q", rep.Errors)
	}

	// Unchanged, the same win is written, with its diff.
	dir, file, rep, cands = fixture(t)
	o = fakeOptions(dir)
	o.Fix, o.Diff = true, &diff
	res, err = run(context.Background(), rep, o, cands[:1], fakeTools(func(_ context.Context, _ int, ab abtest.BinariesOptions) *abtest.BinariesResult {
		return timings(ab, 3)
	}))
	if now, _ := os.ReadFile(file); err != nil || len(res.Written) != 1 || !bytes.Contains(now, []byte("_ = 1")) || !strings.Contains(diff.String(), "+func main() { _ = 1 }") {
		t.Errorf("run: %+v, %v; file %q, diff %q", res, err, now, diff.String())
	}
}

// TestRunPGOAlwaysReported: a PGO A/B that ran is in the report with its
// verdict, as a pgo recommendation of its own when there was none; a win
// replaces "nothing worth doing", no significant change leaves it.
func TestRunPGOAlwaysReported(t *testing.T) {
	for _, tc := range []struct {
		speedup float64
		win     bool
	}{{1, false}, {3, true}} {
		dir := t.TempDir()
		o := fakeOptions(dir)
		o.CPUProfile = filepath.Join(dir, "cpu.pprof")
		rep := &report.Report{
			Summary:         &report.Summary{Class: report.ClassCPU},
			Recommendations: []report.Recommendation{{Kind: report.KindNone, Text: "nothing worth doing"}},
		}
		fake := fakeTools(func(_ context.Context, _ int, ab abtest.BinariesOptions) *abtest.BinariesResult {
			return timings(ab, tc.speedup)
		})
		if _, err := run(context.Background(), rep, o, nil, fake); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		var pgo *report.Recommendation
		for i, r := range rep.Recommendations {
			kinds = append(kinds, r.Kind)
			if r.Kind == report.KindPGO {
				pgo = &rep.Recommendations[i]
			}
		}
		if pgo == nil || pgo.Verified == nil || benchstat.Win(pgo.Verified) != tc.win || pgo.Verified.Runs < DefaultRuns {
			t.Fatalf("%.0f×: recommendations %v, pgo %+v; want the A/B reported, win %v", tc.speedup, kinds, pgo, tc.win)
		}
		if hasNone := kinds[0] == report.KindNone; hasNone == tc.win {
			t.Errorf("%.0f×: recommendations %v", tc.speedup, kinds)
		}
		if tc.win && !strings.Contains(pgo.Text, "ran 200.0% faster") {
			t.Errorf("pgo text %q", pgo.Text)
		}
	}
}
