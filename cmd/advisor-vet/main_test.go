package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVetTool builds advisor-vet and runs it through go vet on
// testdata/mod: real rules report, //advisor:ignore suppresses, and a
// directive without a reason is reported.
func TestVetTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs go vet")
	}
	tool := filepath.Join(t.TempDir(), "advisor-vet")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command("go", "vet", "-vettool="+tool, "./...")
	cmd.Dir = filepath.Join("testdata", "mod")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet succeeded; want findings\n%s", out)
	}
	got := string(out)
	for _, want := range []string{
		"main.go:14:9: fib calls itself",                                         // overlaprecursion
		"main.go:30:9: regexp.MustCompile compiles",                              // hoistcompile
		"main.go:39:2: advisor:ignore overlaprecursion directive needs a reason", // ignoredirective
	} {
		if !strings.Contains(got, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "trib") {
		t.Errorf("suppressed finding in trib was reported:\n%s", got)
	}

	// Turning a rule off the vet way.
	cmd = exec.Command("go", "vet", "-vettool="+tool, "-overlaprecursion=false", "./...")
	cmd.Dir = filepath.Join("testdata", "mod")
	out, err = cmd.CombinedOutput()
	if strings.Contains(string(out), "fib calls itself") || !strings.Contains(string(out), "regexp.MustCompile") {
		// Seen twice under load: nothing printed, exit status 0. Run it
		// again with -x: the commands it prints tell a result replayed
		// from go vet's cache (no advisor-vet command line) from a run
		// of the tool that found nothing.
		again := exec.Command("go", "vet", "-x", "-vettool="+tool, "-overlaprecursion=false", "./...")
		again.Dir = cmd.Dir
		xout, xerr := again.CombinedOutput()
		t.Errorf("-overlaprecursion=false (%v):\n%s\nagain with -x (%v):\n%s", err, out, xerr, xout)
	}
}
