package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

// TestOwnDependency profiles a one-file main whose time goes to a library
// in another module (testdata/ownmain, with a replace to testdata/ownlib).
// Without --own the report can only name main.main, and says which
// dependency holds the time and how to look in; with --own the library's
// code is attributed, linted and gets the advice (cache its recursion).
func TestOwnDependency(t *testing.T) {
	if testing.Short() {
		t.Skip("profiles a real program")
	}
	bin := matrixBuild(t)
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "ownmain"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, args ...string) *report.Report {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--json"}, args...)...)
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("advisor %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		var r report.Report
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("%v\n%s", err, stdout.String())
		}
		return &r
	}
	t.Run("without --own", func(t *testing.T) {
		t.Parallel()
		r := run(t, ".")
		if len(r.Hotpaths) == 0 || r.Hotpaths[0].Function != "main.main" {
			t.Errorf("hot paths %+v; want main.main first (the library is not own code)", r.Hotpaths)
		}
		if !slices.ContainsFunc(r.Errors, func(e string) bool {
			return strings.Contains(e, "example.com/ownlib") && strings.Contains(e, "--own example.com/ownlib/...") && strings.Contains(e, "ownlib.Score")
		}) {
			t.Errorf("errors %q do not name the hot dependency and suggest --own", r.Errors)
		}
	})
	t.Run("with --own", func(t *testing.T) {
		t.Parallel()
		r := run(t, "--own", "example.com/ownlib/...", ".")
		if len(r.Hotpaths) == 0 || r.Hotpaths[0].Function != "example.com/ownlib.Score" {
			t.Errorf("hot paths %+v; want example.com/ownlib.Score first", r.Hotpaths)
		}
		if len(r.Recommendations) == 0 || r.Recommendations[0].Kind != report.KindCache {
			t.Errorf("recommendations %+v; want cache first (the library's overlapping recursion)", r.Recommendations)
		}
		if !slices.ContainsFunc(r.Findings, func(f report.Finding) bool { return f.Rule == "overlaprecursion" }) {
			t.Errorf("findings %+v: the rules did not look into the library", r.Findings)
		}
	})
}
