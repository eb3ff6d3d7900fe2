package lint

import (
	"context"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/advisor-dev/advisor/rules/all"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// slowcall reports calls of package-level functions named slow, with a fix
// that calls fast instead.
var slowcall = &analysis.Analyzer{
	Name:     "slowcall",
	Doc:      "slowcall: report calls of slow",
	URL:      "https://example.com/slowcall",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			call := n.(*ast.CallExpr)
			fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
			if !ok || fn.Name() != "slow" {
				return
			}
			id := call.Fun.(*ast.Ident)
			pass.Report(analysis.Diagnostic{
				Pos:      call.Pos(),
				Message:  "slow is slow (call fast)",
				Category: report.KindCache,
				SuggestedFixes: []analysis.SuggestedFix{{
					Message:   "call fast",
					TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("fast")}},
				}},
			})
		})
		return nil, nil
	},
}

// copyFixture copies testdata/mod to a temporary directory, so that tests
// may apply fixes to it.
func copyFixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", "mod"))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func run(t *testing.T, dir string, tests bool, patterns ...string) *Result {
	t.Helper()
	res, err := Run(context.Background(), Config{
		Dir:      dir,
		Patterns: patterns,
		Tests:    tests,
		Rules:    []all.Rule{{Analyzer: slowcall, Category: report.CategoryRecursion}},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func TestRun(t *testing.T) {
	dir := copyFixture(t)
	res := run(t, dir, true, "./...")

	type short struct {
		file, function string
		line           int
	}
	got := make([]short, 0, len(res.Findings))
	for _, f := range res.Findings {
		if f.Rule != "slowcall" || f.Category != "recursion" || f.Recommendation != "cache" || f.Message != "slow is slow (call fast)" || f.HotShare != nil || f.Column == 0 {
			t.Errorf("finding %+v: wrong rule metadata", f)
		}
		got = append(got, short{f.File, f.Function, f.Line})
	}
	want := []short{
		{"a/a.go", "example.com/mod/a.Plain", 10},
		{"a/a.go", "example.com/mod/a.(*T).M.func1", 18},
		{"a/a.go", "example.com/mod/a.Malformed", 30},
		{"a/a.go", "", 33},
		{"a/a_test.go", "example.com/mod/a.TestSlow", 6},
		{"cmd/app/main.go", "main.main", 10},
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
	if len(res.PackageErrors) != 1 || !strings.HasPrefix(res.PackageErrors[0], "example.com/mod/broken: ") || !strings.Contains(res.PackageErrors[0], "not an int") {
		t.Errorf("PackageErrors = %q, want one line for example.com/mod/broken", res.PackageErrors)
	}
	if len(res.DirectiveErrors) != 1 || !strings.HasPrefix(res.DirectiveErrors[0].String(), "a/a.go:29:2: ") || !strings.Contains(res.DirectiveErrors[0].Message, "needs a reason") {
		t.Errorf("DirectiveErrors = %q", res.DirectiveErrors)
	}
	if len(res.Fixes) != len(res.Findings) {
		t.Errorf("%d fixes for %d findings", len(res.Fixes), len(res.Findings))
	}
	if real, _ := filepath.EvalSymlinks(dir); res.Root != dir && res.Root != real {
		t.Errorf("Root = %q, want %q", res.Root, dir)
	}
}

func TestRunWithoutTests(t *testing.T) {
	res := run(t, copyFixture(t), false, "./a")
	for _, f := range res.Findings {
		if strings.HasSuffix(f.File, "_test.go") {
			t.Errorf("finding in a test file without Tests: %+v", f)
		}
	}
	if len(res.Findings) != 4 || len(res.PackageErrors) != 0 {
		t.Errorf("got %d findings, errors %q; want 4 findings, no errors", len(res.Findings), res.PackageErrors)
	}
}

func TestRunErrors(t *testing.T) {
	dir := copyFixture(t)
	rules := []all.Rule{{Analyzer: slowcall, Category: report.CategoryRecursion}}
	for _, tc := range []struct {
		name     string
		patterns []string
		rules    []all.Rule
		want     string
	}{
		{"no match", []string{"example.com/mod/nosuch/..."}, rules, "no packages matched"},
		{"missing tree", []string{"./nosuch/..."}, rules, "no packages to analyze: pattern ./nosuch/...: lstat ./nosuch/: no such file"},
		{"missing dir", []string{"./nosuch"}, rules, "no packages to analyze"},
		{"no rules", []string{"./..."}, nil, "no rules selected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), Config{Dir: dir, Patterns: tc.patterns, Rules: tc.rules})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRunRejectsUnknownKind(t *testing.T) {
	nokind := *slowcall
	nokind.Name = "nokind"
	nokind.Run = func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			pass.Reportf(f.Package, "no kind")
		}
		return nil, nil
	}
	res, err := Run(context.Background(), Config{Dir: copyFixture(t), Patterns: []string{"./a"}, Rules: []all.Rule{{Analyzer: &nokind, Category: "alloc"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || len(res.PackageErrors) != 1 || !strings.Contains(res.PackageErrors[0], "without a valid recommendation kind") {
		t.Errorf("findings %v, errors %q", res.Findings, res.PackageErrors)
	}
}

func TestFixes(t *testing.T) {
	dir := copyFixture(t)
	res := run(t, dir, false, "./cmd/app")
	changes, skipped, err := Changes(res.Fixes)
	if err != nil || skipped != 0 || len(changes) != 1 {
		t.Fatalf("Changes = %d changes, %d skipped, %v", len(changes), skipped, err)
	}
	c := changes[0]
	if !strings.Contains(string(c.New), "_ = fast()") || c.Applied != 1 {
		t.Errorf("fixed file:\n%s", c.New)
	}
	d := UnifiedDiff("a/main.go", "b/main.go", c.Old, c.New)
	if !strings.Contains(d, "-\t\t_ = slow()\n+\t\t_ = fast()\n") {
		t.Errorf("diff:\n%s", d)
	}
	if err := Write(changes); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(c.File)
	if string(got) != string(c.New) {
		t.Errorf("written file differs from the change")
	}
	// Fixing again from the same (now stale) result must refuse.
	if _, _, err := Changes(res.Fixes); err == nil || !strings.Contains(err.Error(), "changed since it was analyzed") {
		t.Errorf("stale fixes: err = %v", err)
	}
	if err := Write(changes); err == nil {
		t.Errorf("Write of a stale change succeeded")
	}
	entries, _ := os.ReadDir(filepath.Dir(c.File))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".advisor-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestChangesSkipsOverlaps(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.go")
	src := []byte("package x\n\nvar a, b = 1, 2\n")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	hash := sha(src)
	at := func(s string) int { return strings.Index(string(src), s) }
	fixes := []Fix{
		{Edits: []Edit{{File: file, Hash: hash, Start: at("1"), End: at("1") + 1, New: []byte("10")}}},
		{Edits: []Edit{{File: file, Hash: hash, Start: at("1, 2"), End: at("1, 2") + 4, New: []byte("3, 4")}}}, // overlaps the first
		{Edits: []Edit{{File: file, Hash: hash, Start: at("b"), End: at("b") + 1, New: []byte("c")}}},
	}
	changes, skipped, err := Changes(fixes)
	if err != nil || skipped != 1 || len(changes) != 1 {
		t.Fatalf("Changes = %v, %d skipped, %v", changes, skipped, err)
	}
	if got := string(changes[0].New); got != "package x\n\nvar a, c = 10, 2\n" || changes[0].Applied != 2 {
		t.Errorf("New = %q, Applied = %d", got, changes[0].Applied)
	}
}

func TestRunTags(t *testing.T) {
	dir := copyFixture(t)
	res, err := Run(context.Background(), Config{
		Dir:      dir,
		Patterns: []string{"./a"},
		Tags:     []string{"special"},
		Rules:    []all.Rule{{Analyzer: slowcall, Category: report.CategoryRecursion}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Findings, func(f report.Finding) bool { return f.Function == "example.com/mod/a.Tagged" }) {
		t.Errorf("-tags=special: no finding in Tagged: %v", res.Findings)
	}
}

// TestDependencyError: a package whose dependency does not build is reported
// with the dependency's own error (what go vet says), not only with "no
// export data".
func TestDependencyError(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.26\n",
		"a/a.go": "package a\n\nimport \"example.com/dep/b\"\n\nvar X = b.Y\n",
		"b/b.go": "package b\n\nvar Y int = \"not an int\"\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := run(t, dir, false, "./a")
	var msgs []string
	for _, e := range res.PackageErrors {
		msgs = append(msgs, e)
	}
	if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, "\n"), "b.go:3") || strings.Contains(strings.Join(msgs, "\n"), "no export data") {
		t.Errorf("package errors = %q, want b's own error (b.go:3: cannot use ...)", msgs)
	}
}
