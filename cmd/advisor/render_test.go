package main

import (
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
)

// Profiles handed in with --profile/--trace have no exit status; naming the
// package whose code they measure must not make the header say the target
// was killed.
func TestTextHeaderImportedWithPackage(t *testing.T) {
	rep := &report.Report{Target: &report.Target{Package: "./cmd/wc", WallSeconds: 1}}
	var b strings.Builder
	if err := writeText(&b, rep, textOptions{imported: true}); err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(b.String(), "\n")
	if strings.Contains(header, "killed") || !strings.Contains(header, "./cmd/wc (profiles collected elsewhere)") {
		t.Errorf("header = %q, want the package marked as profiles collected elsewhere", header)
	}

	// A run advisor made itself with no exit status was killed.
	b.Reset()
	if err := writeText(&b, rep, textOptions{}); err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(b.String(), "\n"); !strings.Contains(header, "(killed)") {
		t.Errorf("header of a run without exit code = %q, want (killed)", header)
	}
}

// A rewrite measured in too few runs (the --verify-budget ran out) is not
// a win, whatever its p-value, and its text must not claim one.
func TestVerifiedTextTooFewRuns(t *testing.T) {
	v, err := benchstat.CompareRuns([]float64{1.30, 1.31, 1.29, 1.32}, []float64{0.010, 0.011, 0.012, 0.010}, "none")
	if err != nil {
		t.Fatal(err)
	}
	if got := verifiedText(v); benchstat.Win(v) || strings.Contains(got, "verified") || !strings.Contains(got, "too few runs") {
		t.Errorf("4 runs (win=%v): %q", benchstat.Win(v), got)
	}
}
