package verify

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/profile/abtest"
	"github.com/advisor-dev/advisor/rules/rewrite"
)

// loopRec is the workers recommendation advice gives for a demo's hot loop.
func loopRec(t *testing.T, cfg Options, demo, marker string) report.Recommendation {
	t.Helper()
	file := "testdata/" + demo + "/main.go"
	line := lineOf(t, filepath.Join(cfg.ModuleDir, file), marker)
	return report.Recommendation{Kind: report.KindWorkers, Function: "main.main", File: file, Line: line, Text: "x"}
}

// TestVerifyLoopDemos verifies the workers recommendation of the loop
// demos: the dependent loops (a hash chain, an early-exit search) are
// declined with loopdep's reason and never built; the reduction and the
// ordered loop are rewritten, build, pass their tests and are measured.
// No win is asserted: the machine may be a loaded two-core one.
func TestVerifyLoopDemos(t *testing.T) {
	t.Parallel() // each works in its own temporary module
	if testing.Short() {
		t.Skip("builds, tests and runs the demos")
	}
	for _, tc := range []struct {
		demo, marker string
		declined     string // the reason, when the rewrite must be declined
	}{
		{"hashchain", "h = step(h)", "declined: loop at line 21: each iteration uses h from the previous one"},
		{"earlyexit", "if score(i) == want", "declined: loop at line 19: the loop returns at the first result that matches"},
		{"reduce", "sum += weight(x)", ""},
		{"ordered", "fmt.Println(i, digest(i))", ""},
	} {
		t.Run(tc.demo, func(t *testing.T) {
			cfg := demoVerifyConfig(t, tc.demo)
			rep := &report.Report{Recommendations: []report.Recommendation{loopRec(t, cfg, tc.demo, tc.marker)}}
			before := treeHash(t, cfg.PackageDir)
			if _, err := Run(context.Background(), rep, cfg); err != nil {
				t.Fatal(err)
			}
			if treeHash(t, cfg.PackageDir) != before {
				t.Errorf("--verify changed files under %s", cfg.PackageDir)
			}
			errs := strings.Join(verifyErrors(rep), "\n")
			v := rep.Recommendations[0].Verified
			if tc.declined != "" {
				if v != nil || !strings.Contains(errs, tc.declined) {
					t.Errorf("want declined with %q; verified %+v, errors:\n%s", tc.declined, v, errs)
				}
				return
			}
			if v == nil {
				t.Fatalf("not measured; errors:\n%s", errs)
			}
			t.Logf("%s: %s", tc.demo, describe(v))
			if v.Tests != "pass" {
				t.Errorf("tests did not run and pass on the rewrite: %+v; errors:\n%s", v, errs)
			}
			if v.Runs < benchstat.VerifyMinRuns || v.Speedup <= 0 || v.CIHigh < v.CILow || v.CILow > v.Speedup || v.CIHigh < v.Speedup {
				t.Errorf("no interval around the speedup: %+v", v)
			}
			if strings.Contains(errs, "prints something else") {
				t.Errorf("the rewrite changed the output:\n%s", errs)
			}
		})
	}
}

// TestOrderedOutputKept builds the ordered demo and its workers rewrite and
// compares what they print, byte for byte.
func TestOrderedOutputKept(t *testing.T) {
	t.Parallel() // each works in its own temporary module
	if testing.Short() {
		t.Skip("builds a demo twice")
	}
	cfg := demoVerifyConfig(t, "ordered")
	rec := loopRec(t, cfg, "ordered", "fmt.Println(i, digest(i))")
	file := filepath.Join(cfg.ModuleDir, filepath.FromSlash(rec.File))
	p, err := rewrite.Load(context.Background(), cfg.PackageDir, ".")
	if err != nil {
		t.Fatal(err)
	}
	rw, err := rewrite.Workers(p, file, rec.Line)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(rw.New, []byte("fmt.Println(i, results[i])")) {
		t.Errorf("not the ordered form:\n%s", rw.New)
	}
	work := t.TempDir()
	base := abtest.Variant{Dir: cfg.PackageDir, Package: ".", WorkDir: work}
	orig, err := abtest.BuildVariant(context.Background(), base, "orig")
	if err != nil {
		t.Fatal(err)
	}
	v := base
	v.Overlay = map[string][]byte{rw.File: rw.New}
	bin, err := abtest.BuildVariant(context.Background(), v, "rewrite")
	if err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command(orig).Output()
	if err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || len(want) == 0 {
		t.Errorf("the rewrite prints %d bytes that differ from the original's %d", len(got), len(want))
	}
}

// TestVerifyDeclinedWithinBudget: --verify on a demo whose only rewrite is
// declined says why, and ends within its budget.
func TestVerifyDeclinedWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a demo")
	}
	cfg := demoVerifyConfig(t, "hashchain")
	cfg.Budget = 15 * time.Second
	rep := &report.Report{Recommendations: []report.Recommendation{loopRec(t, cfg, "hashchain", "h = step(h)")}}
	start := time.Now()
	if _, err := Run(context.Background(), rep, cfg); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	const slack = 20 * time.Second // loading packages and a slow machine
	if elapsed > cfg.Budget+slack {
		t.Errorf("verification took %s, budget %s", elapsed, cfg.Budget)
	}
	errs := strings.Join(verifyErrors(rep), "\n")
	if !strings.Contains(errs, "declined: loop at line 21: each iteration uses h from the previous one") {
		t.Errorf("the declined reason is not in the report:\n%s", errs)
	}
}
