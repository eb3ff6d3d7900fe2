package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"

	"github.com/advisor-dev/advisor/rules/all"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

func init() {
	// Other golden tests of this package may define -update too.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGolden() bool {
	return flag.Lookup("update").Value.(flag.Getter).Get().(bool)
}

// callRule returns a test rule reporting calls of the package-level
// function fn, with a fix renaming the call to fix (if not empty).
func callRule(name, fn, fix, kind, category string) all.Rule {
	a := &analysis.Analyzer{
		Name:     name,
		Doc:      name + ": report calls of " + fn + "\n\nCalls of " + fn + " are slow in tests.\n\nBad:\n\n\t" + fn + "()",
		URL:      "https://example.com/" + name,
		Requires: []*analysis.Analyzer{inspect.Analyzer},
	}
	a.Run = func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			call := n.(*ast.CallExpr)
			f, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
			if !ok || f.Name() != fn {
				return
			}
			d := analysis.Diagnostic{Pos: call.Pos(), Message: fn + " is slow", Category: kind}
			if fix != "" {
				d.Message += " (call " + fix + ")"
				id := call.Fun.(*ast.Ident)
				d.SuggestedFixes = []analysis.SuggestedFix{{Message: "call " + fix, TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte(fix)}}}}
			}
			pass.Report(d)
		})
		return nil, nil
	}
	return all.Rule{Analyzer: a, Category: category}
}

func testRules() []all.Rule {
	return []all.Rule{
		callRule("fibcall", "fib", "", report.KindCache, report.CategoryRecursion),
		callRule("slowcall", "slow", "fast", report.KindHoist, report.CategoryAlloc),
	}
}

// lintFixture copies testdata/lint/mod to a temporary directory.
func lintFixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", "lint", "mod"))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// runLintTest runs advisor lint in-process with the test rules.
func runLintTest(t *testing.T, rules []all.Rule, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	cache := t.TempDir()
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return map[string]string{"ADVISOR_CACHE": cache}[k] }}
	code = lintMain(context.Background(), e, args, rules)
	return code, out.String(), errb.String()
}

// golden compares got with testdata/lint/name, after replacing dir by
// $ROOT, or rewrites the file with -update.
func golden(t *testing.T, name, got, dir string) {
	t.Helper()
	got = strings.ReplaceAll(got, dir, "$ROOT")
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		got = strings.ReplaceAll(got, real, "$ROOT")
	}
	path := filepath.Join("testdata", "lint", name)
	if updateGolden() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestLintGolden(t *testing.T) {
	dir := lintFixture(t)
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"text.golden", nil},
		{"json.golden", []string{"--json"}},
		{"sarif.golden", []string{"--format", "sarif"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, stdout, stderr := runLintTest(t, testRules(), append(tc.args, "-C", dir, "./...")...)
			// The broken package is not analyzed: exit 2, one line on stderr.
			if code != exitError {
				t.Errorf("exit %d, want %d (a package does not type-check)", code, exitError)
			}
			if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "advisor: example.com/lintmod/broken: broken/broken.go:4:23: cannot use") {
				t.Errorf("stderr:\n%s", stderr)
			}
			golden(t, tc.golden, stdout, dir)
		})
	}
}

func TestLintJSONValidates(t *testing.T) {
	dir := lintFixture(t)
	_, stdout, _ := runLintTest(t, testRules(), "--json", "-C", dir, "./...")
	if err := docs.ValidateReport([]byte(stdout)); err != nil {
		t.Fatal(err)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 7 || len(r.Errors) != 2 {
		t.Errorf("%d findings, errors %q; want 7 findings, 2 errors", len(r.Findings), r.Errors)
	}
	for _, f := range r.Findings {
		if f.HotShare != nil || f.Function == "" || strings.Contains(f.File, dir) {
			t.Errorf("finding %+v: want null hot_share, a function and a module-relative file", f)
		}
	}
	if !strings.Contains(stdout, `"hot_share": null`) {
		t.Errorf("hot_share must be present as null:\n%s", stdout)
	}
}

func TestLintSARIF(t *testing.T) {
	dir := lintFixture(t)
	_, stdout, _ := runLintTest(t, testRules(), "--format", "sarif", "-C", dir, "./a", "./cmd/...")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						Help             struct{ Text string }
						HelpURI          string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct{ StartLine, StartColumn int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != 3 || rules[0].ID != "fibcall" || rules[1].ID != "slowcall" || rules[2].ID != "ignoredirective" {
		t.Fatalf("rules: %+v", rules)
	}
	if r := rules[1]; r.ShortDescription.Text != "report calls of slow" || r.FullDescription.Text != "Calls of slow are slow in tests." ||
		!strings.Contains(r.Help.Text, "Bad:") || r.HelpURI != "https://example.com/slowcall" {
		t.Errorf("slowcall rule: %+v", r)
	}
	if len(run.Results) != 8 {
		t.Fatalf("%d results, want 7 findings + 1 directive", len(run.Results))
	}
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation
		if rules[r.RuleIndex].ID != r.RuleID || r.Level != "warning" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
			strings.HasPrefix(loc.ArtifactLocation.URI, "/") || loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("result %+v", r)
		}
	}
}

func TestLintExitCodes(t *testing.T) {
	dir := lintFixture(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string // in stderr
	}{
		{"text fails on findings", []string{"./a"}, exitFindings, ""},
		{"json does not", []string{"--json", "./a"}, exitOK, ""},
		{"none", []string{"--fail-on", "none", "./a"}, exitOK, ""},
		{"category present", []string{"--fail-on", "alloc", "./cmd/..."}, exitFindings, ""},
		{"category absent", []string{"--fail-on", "recursion", "./a"}, exitOK, ""},
		{"kind present", []string{"--json", "--fail-on", "cache", "./cmd/..."}, exitFindings, ""},
		{"rule absent", []string{"--fail-on", "fibcall", "./a"}, exitOK, ""},
		{"disabled rule", []string{"--disable", "slowcall", "./cmd/..."}, exitFindings, ""},
		{"selected rule", []string{"--rules", "slowcall", "--fail-on", "fibcall", "./cmd/..."}, exitOK, ""},
		{"bad fail-on", []string{"--fail-on", "nosuch", "./a"}, exitError, `"nosuch" is not a rule`},
		{"none and any", []string{"--fail-on", "none,any", "./a"}, exitError, "cannot be combined"},
		{"unknown rule", []string{"--rules", "nosuch", "./a"}, exitError, `unknown rule "nosuch"`},
		{"all disabled", []string{"--disable", "slowcall,fibcall", "./a"}, exitError, "no rules left"},
		{"no packages", []string{"example.com/lintmod/nosuch/..."}, exitError, "no packages matched"},
		{"bad format", []string{"--format", "xml", "./a"}, exitError, `unknown --format "xml"`},
		{"fix and json", []string{"--fix", "--json", "./a"}, exitError, "cannot be combined"},
		{"fix and diff", []string{"--fix", "--diff", "./a"}, exitError, "exclusive"},
		{"bad flag", []string{"--nosuch", "./a"}, exitError, "unknown flag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runLintTest(t, testRules(), append([]string{"-C", dir}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.err) {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr containing %q", code, stderr, tc.code, tc.err)
			}
			if tc.code == exitError && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("error is not one line: %q", stderr)
			}
		})
	}
}

func TestLintExplain(t *testing.T) {
	code, stdout, _ := runLintTest(t, testRules(), "--explain")
	if code != exitOK || !strings.Contains(stdout, "fibcall            recursion    report calls of fib\n") || !strings.Contains(stdout, "slowcall") {
		t.Errorf("exit %d, list:\n%s", code, stdout)
	}
	code, stdout, _ = runLintTest(t, testRules(), "--explain", "slowcall")
	if code != exitOK || !strings.HasPrefix(stdout, "slowcall: report calls of slow\n") || !strings.Contains(stdout, "Bad:") ||
		!strings.Contains(stdout, "//advisor:ignore slowcall <reason>") || strings.Contains(stdout, "fibcall") {
		t.Errorf("exit %d, explain:\n%s", code, stdout)
	}
	if code, _, stderr := runLintTest(t, testRules(), "--explain", "nosuch"); code != exitError || !strings.Contains(stderr, `unknown rule "nosuch"`) {
		t.Errorf("unknown rule: exit %d, %q", code, stderr)
	}
}

func TestLintDiffAndFix(t *testing.T) {
	dir := lintFixture(t)
	main := filepath.Join(dir, "cmd", "app", "main.go")
	before, _ := os.ReadFile(main)
	code, stdout, stderr := runLintTest(t, testRules(), "-C", dir, "--diff", "./cmd/...")
	if code != exitOK || stderr != "" {
		t.Fatalf("--diff: exit %d, stderr %q", code, stderr)
	}
	want := "--- a/cmd/app/main.go\n+++ b/cmd/app/main.go\n@@ -14,7 +14,7 @@\n \n func main() {\n \tfor range 30 {\n-\t\t_ = slow()\n+\t\t_ = fast()\n \t}\n \t_ = fib(10)\n }\n"
	if stdout != want {
		t.Errorf("--diff:\n%s\nwant:\n%s", stdout, want)
	}
	if after, _ := os.ReadFile(main); !bytes.Equal(before, after) {
		t.Fatal("--diff changed the file")
	}

	code, stdout, stderr = runLintTest(t, testRules(), "-C", dir, "--fix", "./cmd/...")
	// fib has no fix: it is still reported, and fails the run.
	if code != exitFindings || stdout != "cmd/app/main.go:12:9: fib is slow (fibcall)\ncmd/app/main.go:12:20: fib is slow (fibcall)\ncmd/app/main.go:19:6: fib is slow (fibcall)\n" || stderr != "advisor: applied 1 fix in 1 file\n" {
		t.Errorf("--fix: exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	after, _ := os.ReadFile(main)
	if !strings.Contains(string(after), "_ = fast()") || strings.Contains(string(after), "_ = slow()") {
		t.Errorf("fixed file:\n%s", after)
	}
	code, stdout, _ = runLintTest(t, testRules(), "-C", dir, "--rules", "slowcall", "./cmd/...")
	if code != exitOK || stdout != "" {
		t.Errorf("after --fix: exit %d, findings %q", code, stdout)
	}
}

func TestLintRealRules(t *testing.T) {
	dir := lintFixture(t)
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return map[string]string{"ADVISOR_CACHE": "off"}[k] }}
	code := runLint(context.Background(), e, []string{"-C", dir, "./cmd/..."})
	if code != exitFindings || !strings.Contains(out.String(), "cmd/app/main.go:12:9: fib calls itself") || !strings.Contains(out.String(), "(overlaprecursion)") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
}

// TestRulesDoc checks that docs/rules.md documents every registered rule
// with its current text.
func TestRulesDoc(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all.Rules() {
		name := r.Analyzer.Name
		if !strings.Contains(string(doc), "| `"+name+"` | "+r.Category+" |") {
			t.Errorf("docs/rules.md: the rules table lacks %s (category %s)", name, r.Category)
		}
		if !strings.Contains(string(doc), "### "+name+"\n") || !strings.Contains(string(doc), r.Analyzer.Doc) {
			t.Errorf("docs/rules.md: the reference of %s is missing or stale (run docs/measure/lint-docs.sh)", name)
		}
	}
}

// TestLintFixRefusesIllTyped: a rule's fix that does not type-check is
// dropped with a one-line reason, nothing is written, and the run exits 2
// (advisor could not do its job: a rule offered a broken fix).
func TestLintFixRefusesIllTyped(t *testing.T) {
	dir := lintFixture(t)
	main := filepath.Join(dir, "cmd", "app", "main.go")
	before, _ := os.ReadFile(main)
	rules := []all.Rule{callRule("badfix", "slow", "nosuch", report.KindHoist, report.CategoryAlloc)}
	for _, mode := range []string{"--fix", "--diff"} {
		code, stdout, stderr := runLintTest(t, rules, "-C", dir, mode, "./cmd/...")
		if code != exitError {
			t.Errorf("%s: exit %d, want %d", mode, code, exitError)
		}
		if !strings.Contains(stderr, "cmd/app/main.go:17:7: badfix: fix dropped: the fixed package does not type-check: ") || !strings.Contains(stderr, "undefined: nosuch") {
			t.Errorf("%s: stderr %q", mode, stderr)
		}
		if strings.Contains(stdout, "nosuch()") && mode == "--diff" {
			t.Errorf("--diff shows the dropped fix:\n%s", stdout)
		}
		if after, _ := os.ReadFile(main); !bytes.Equal(before, after) {
			t.Fatalf("%s changed the file", mode)
		}
	}
}

// TestLintCachedRun checks that a second run, served from the result
// cache, prints exactly what the first did.
func TestLintCachedRun(t *testing.T) {
	dir, cache := lintFixture(t), t.TempDir()
	lint := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return map[string]string{"ADVISOR_CACHE": cache}[k] }}
		code := lintMain(context.Background(), e, append(args, "-C", dir, "./..."), testRules())
		return code, out.String(), errb.String()
	}
	for _, args := range [][]string{{"--all"}, {"--json"}, {"--diff"}} {
		code1, out1, err1 := lint(args...)
		code2, out2, err2 := lint(args...)
		if code1 != code2 || out1 != out2 || err1 != err2 || out1 == "" {
			t.Errorf("%v: first run exit %d\n%s%s\nsecond run exit %d\n%s%s", args, code1, out1, err1, code2, out2, err2)
		}
	}
	entries, err := filepath.Glob(filepath.Join(cache, "lint", "*", "*-lint"))
	if err != nil || len(entries) == 0 {
		t.Errorf("no cache entries under %s (%v)", cache, err)
	}
}
