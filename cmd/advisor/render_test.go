package main

import (
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze"
)

// Profiles handed in with --profile/--trace have no exit status; naming the
// package whose code they measure must not make the header say the target
// was killed.
func TestTextHeaderImportedWithPackage(t *testing.T) {
	rep := &analyze.Report{Target: &analyze.Target{Package: "./cmd/wc", WallSeconds: 1}}
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
