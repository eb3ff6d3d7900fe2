package render

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

// The encoder's generic input, as advisor ci uses it: rules with a help
// URI only, results without a column or line, no root and no invocation.
func TestWriteSARIFMinimal(t *testing.T) {
	var buf bytes.Buffer
	err := WriteSARIF(&buf, SARIF{
		Rules: []SARIFRule{{ID: "hoist", ShortDescription: "hoist (lookup)", HelpURI: "https://pkg.go.dev/x/hoist"}},
		Results: []SARIFResult{
			{Rule: "hoist", Level: "warning", Message: "m1", File: "a/b.go", Line: 0},
			{Rule: "unknown", Level: "note", Message: "m2", File: "/abs/c.go", Line: 3, Column: 7, EndLine: 8, Properties: map[string]any{"hot_share": 0.5}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []map[string]json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	for _, absent := range []string{"invocations", "originalUriBaseIds"} {
		if _, ok := run[absent]; ok {
			t.Errorf("run has %s without being asked", absent)
		}
	}
	out := buf.String()
	for _, want := range []string{
		`"id": "hoist"`, `"helpUri": "https://pkg.go.dev/x/hoist"`, `"text": "hoist (lookup)"`,
		`"uri": "a/b.go",`,
		`"startLine": 1
`, // a result about the whole file: SARIF lines start at 1
		`"ruleIndex": 0`,
		`"uri": "file:///abs/c.go"
`, // outside the root: no base id
		`"startColumn": 7`, `"endLine": 8`, `"hot_share": 0.5`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`"uri": "a/b.go",\s*"uriBaseId": "%SRCROOT%"`).MatchString(out) {
		t.Errorf("relative file without %%SRCROOT%%:\n%s", out)
	}
	for _, bad := range []string{"fullDescription", "defaultConfiguration", `"help"`, `"name": "hoist"`, `"ruleIndex": 1`} {
		if strings.Contains(out, bad) {
			t.Errorf("log has %s, which was not given:\n%s", bad, out)
		}
	}
}

// Empty input is still a valid log: code scanning wants the lists.
func TestWriteSARIFEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, SARIF{Root: "/src/m", Invocation: true, Errors: []string{"p: broken"}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"rules": []`, `"results": []`, `"uri": "file:///src/m/"`, `"executionSuccessful": false`, `"text": "p: broken"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestDisplayPath(t *testing.T) {
	for _, tc := range []struct{ root, wd, file, want string }{
		{"/m", "/m", "a/b.go", "a/b.go"},
		{"/m", "/m/a", "a/b.go", "b.go"},
		{"/m", "/m/x", "a/b.go", "../a/b.go"}, // outside the working directory, as go vet prints it
		{"/w/work", "/w/x/y", "work.go", "../../work/work.go"},
		{"/m", "/", "/std/c.go", "std/c.go"},
		{"/m", "", "a/b.go", "a/b.go"},
	} {
		if got := DisplayPath(tc.root, tc.wd, tc.file); got != tc.want {
			t.Errorf("DisplayPath(%q, %q, %q) = %q; want %q", tc.root, tc.wd, tc.file, got, tc.want)
		}
	}
}

// TestTextPathsFromWorkDir: the text report names files relative to the
// working directory (go vet's way), the JSON keeps module-relative paths.
func TestTextPathsFromWorkDir(t *testing.T) {
	r := report.NewReport()
	r.Hotpaths = []report.Hotpath{{Function: "main.fib", File: "cmd/fib/main.go", Line: 12, Share: 1, Class: report.ClassCPU}}
	r.Findings = []report.Finding{{Rule: "overlaprecursion", File: "cmd/fib/main.go", Line: 12, Column: 9, Message: "m", HotShare: new(float64)}}
	*r.Findings[0].HotShare = 1
	var b strings.Builder
	if err := Text(&b, r, TextOptions{Root: "/m", WorkDir: "/m/cmd/fib"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), " main.go:12 ") || !strings.Contains(b.String(), "  main.go:12:9: m") {
		t.Errorf("text report does not name main.go relative to the working directory:\n%s", b.String())
	}
}
