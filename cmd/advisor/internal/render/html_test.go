package render

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
)

// htmlTestReport is a fib-like report with hostile text in it.
func htmlTestReport() *report.Report {
	code := 0
	sp, hs := 12.5, 0.93
	r := report.NewReport()
	r.Target = &report.Target{Package: "./testdata/fib", Args: []string{"-n", "39"}, ExitCode: &code, WallSeconds: 2.31, CPUSeconds: 2.25, GOMAXPROCS: 2}
	r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.97, Breakdown: report.Breakdown{report.StateCPU: 0.95, report.StateGC: 0.03, report.StateSched: 0.02}}
	r.Hotpaths = []report.Hotpath{{Function: "main.fib", File: "main.go", Line: 14, Share: 0.93, Class: report.ClassCPU,
		Breakdown: report.Breakdown{report.StateCPU: 0.93}, Stack: []string{"main.main", "main.fib"}, MaxDepth: 39}}
	r.Findings = []report.Finding{{Rule: "overlaprecursion", Category: report.CategoryRecursion, File: "main.go", Line: 14,
		Function: "main.fib", Message: "fib calls itself <twice> & recomputes", HotShare: &hs, Recommendation: report.KindCache}}
	r.Recommendations = []report.Recommendation{
		{Kind: report.KindCache, Function: "main.fib", File: "main.go", Line: 14, EstimatedSpeedup: &sp,
			Text: "memoize main.fib with a map[int]int memo <script>alert(1)</script>", Findings: []string{"overlaprecursion@main.go:14"}},
		{Kind: report.KindPGO, Text: "try profile-guided optimization: default.pgo"},
	}
	r.Recommendations[0].Verified = &report.Verified{Speedup: 3500, CILow: 3300, CIHigh: 3700, P: 0.0002, Runs: 10, Tests: "pass"}
	r.Errors = []string{"a problem & its <cause>"}
	return r
}

// writeFibModule writes a module dir with a main.go whose line 14 is the
// recursive call.
func writeFibModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := "package main\n\nimport \"fmt\"\n\n// fib is naive.\n//\n// It recomputes.\n//\n\nfunc fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\n\nfunc main() { fmt.Println(fib(30)) }\n"
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if strings.Contains(l, "return fib(n-1)") && i+1 != 14 {
			t.Fatalf("test source: recursion on line %d, want 14", i+1)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func renderHTML(t *testing.T, r *report.Report, ex map[string]Excerpt) string {
	t.Helper()
	var buf bytes.Buffer
	if err := HTML(&buf, r, ex); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestWriteHTMLStructure(t *testing.T) {
	dir := writeFibModule(t)
	r := htmlTestReport()
	ex, errs := ReadExcerpts(dir, r, 2)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	page := renderHTML(t, r, ex)

	for _, want := range []string{
		"<!DOCTYPE html>",
		"<title>advisor: ./testdata/fib</title>",
		`<svg class="bar"`,                  // the breakdown chart
		`fill="#4e79a7"`,                    // the on-CPU segment
		"1. cache", "2. pgo", "no estimate", // ranked recommendations
		"estimated 12.50× whole program", // the estimate
		"<code>overlaprecursion@main.go:14</code>",
		`<span class="mark"><b>14</b>	return fib(n-1) &#43; fib(n-2)</span>`, // the excerpt, line marked
		"<b>12</b>", "<b>16</b>", // ±2 lines of context
		"memoize main.fib with a map[int]int memo &lt;script&gt;alert(1)&lt;/script&gt;",
		"fib calls itself &lt;twice&gt; &amp; recomputes",
		"a problem &amp; its &lt;cause&gt;",
		"main.fib", "93%",
		"verified 3500.00× faster (95% CI 3300.00–3700.00×, p&lt;0.001, 10 runs), tests pass",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>", "<b>11</b>", "<b>17</b>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// Self-contained: nothing is loaded from anywhere.
	if m := regexp.MustCompile(`(?i)(src|href|url)\s*[=(]\s*["']?\s*[a-z]+:`).FindString(page); m != "" {
		t.Errorf("page references an external resource: %q", m)
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("page contains a URL")
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "<link") || strings.Contains(page, "<img") {
		t.Error("page has scripts, links or images")
	}
}

func TestWriteHTMLMinimalReport(t *testing.T) {
	// A lint-only report: no target, no summary, no hot paths.
	r := report.NewReport()
	page := renderHTML(t, r, nil)
	for _, want := range []string{"No recommendations.", "No hot paths were measured.", "No findings on hot code."} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `<svg class="bar"`) {
		t.Error("chart without a summary")
	}
	r.Target = &report.Target{Args: []string{}}
	if page := renderHTML(t, r, nil); !strings.Contains(page, "<title>advisor report</title>") || strings.Contains(page, "package <code>") {
		t.Error("target without a package: title or package line wrong")
	}
	if err := HTML(&bytes.Buffer{}, nil, nil); err == nil {
		t.Error("nil report: no error")
	}
}

func TestSegments(t *testing.T) {
	segs := segments(report.Breakdown{report.StateSleep: 0.25, report.StateCPU: 0.5, report.StateNetwork: 0.25, report.StateLock: 0})
	var got []string
	for _, s := range segs {
		got = append(got, s.State)
	}
	if strings.Join(got, ",") != "cpu,network,sleep" {
		t.Fatalf("states %v; want cpu,network,sleep in analyze.States order without zeros", got)
	}
	if segs[0].X != 0 || segs[0].W != 50 || segs[1].X != 50 || segs[1].W != 25 || segs[2].X != 75 || segs[2].W != 25 {
		t.Errorf("geometry %+v", segs)
	}
	if segments(nil) != nil || segments(report.Breakdown{report.StateCPU: -1}) != nil {
		t.Error("empty breakdown has segments")
	}
}

func TestReadExcerptTruncatesLongLines(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("é", 300)
	if err := os.WriteFile(filepath.Join(dir, "gen.go"), []byte("package p\n\nvar s = \""+long+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := report.NewReport()
	r.Recommendations = []report.Recommendation{{Kind: "cache", File: "gen.go", Line: 3, Text: "t"}}
	ex, errs := ReadExcerpts(dir, r, 0)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	e := ex["gen.go:3"]
	if len(e.Lines) != 1 {
		t.Fatalf("lines %+v; want just line 3", e.Lines)
	}
	if got := []rune(e.Lines[0].Text); len(got) != maxExcerptLine+1 || got[len(got)-1] != '…' {
		t.Errorf("line has %d runes; want %d and an ellipsis", len(got), maxExcerptLine+1)
	}
}

func TestReadExcerpts(t *testing.T) {
	dir := writeFibModule(t)
	r := report.NewReport()
	r.Recommendations = []report.Recommendation{
		{Kind: "cache", File: "main.go", Line: 1, Text: "t"},   // clipped at the top
		{Kind: "cache", File: "main.go", Line: 17, Text: "t"},  // clipped at the bottom
		{Kind: "cache", File: "main.go", Line: 400, Text: "t"}, // past the end
		{Kind: "cache", File: "../etc/passwd", Line: 1, Text: "t"},
		{Kind: "cache", File: "/etc/passwd", Line: 1, Text: "t"},
		{Kind: "cache", File: "missing.go", Line: 1, Text: "t"},
		{Kind: "pgo", Text: "no place"},
	}
	ex, errs := ReadExcerpts(dir, r, 3)
	if len(errs) != 4 {
		t.Errorf("errors %v; want 4 (past the end, two escapes, missing)", errs)
	}
	if e := ex["main.go:1"]; len(e.Lines) != 4 || e.Lines[0].N != 1 || !e.Lines[0].Mark || e.Lines[1].Mark {
		t.Errorf("excerpt at line 1: %+v", e)
	}
	if e := ex["main.go:17"]; len(e.Lines) != 4 || e.Lines[3].N != 17 || !e.Lines[3].Mark {
		t.Errorf("excerpt at the last line: %+v", e)
	}
	if len(ex) != 2 {
		t.Errorf("excerpts for %d places; want 2", len(ex))
	}
	if _, errs := ReadExcerpts(filepath.Join(dir, "nope"), r, 3); len(errs) != 1 {
		t.Errorf("missing module dir: errors %v; want one", errs)
	}
}

// TestHTMLInBrowser renders the report in headless Chromium and checks that
// the recommendations reach the DOM. Set ADVISOR_SCREENSHOT=path to keep a
// screenshot of the page.
func TestHTMLInBrowser(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no /usr/bin/chromium")
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := writeFibModule(t)
	r := report.NewReport()
	raw, _ := json.Marshal(htmlTestReport())
	if err := json.Unmarshal(raw, r); err != nil {
		t.Fatal(err)
	}
	ex, _ := ReadExcerpts(dir, r, 3)
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, []byte(renderHTML(t, r, ex)), 0o644); err != nil {
		t.Fatal(err)
	}
	browse := func(extra ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir()}, extra...)
		args = append(args, "file://"+page)
		cmd := exec.CommandContext(ctx, chromium, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %v: %v\n%s", extra, err, stderr.Bytes())
		}
		return out
	}
	dom := string(browse("--dump-dom"))
	for _, want := range []string{
		"memoize main.fib with a map[int]int memo &lt;script&gt;alert(1)&lt;/script&gt;",
		"1. cache", "2. pgo", "overlaprecursion@main.go:14", "return fib(n-1) + fib(n-2)",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	if strings.Contains(dom, "<script>alert") {
		t.Error("rendered DOM contains the injected script")
	}
	if shot := os.Getenv("ADVISOR_SCREENSHOT"); shot != "" {
		abs, err := filepath.Abs(shot)
		if err != nil {
			t.Fatal(err)
		}
		browse("--screenshot="+abs, "--window-size=1100,1400", "--hide-scrollbars")
		if fi, err := os.Stat(abs); err != nil || fi.Size() == 0 {
			t.Errorf("no screenshot at %s: %v", abs, err)
		}
	}
}

func TestWriteHTMLFileIsReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	if err := HTMLFile(path, htmlTestReport(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o644 {
		t.Errorf("report.html mode %v, want -rw-r--r-- like the -o report", perm)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".advisor-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}
