package lint

import (
	"context"
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
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

// sigcall reports every call of a function named Slow with the callee's
// signature in the message, so that a dependency's API change shows in
// its dependents' findings.
var sigcall = &analysis.Analyzer{
	Name:     "sigcall",
	Doc:      "sigcall: report calls of Slow with their signature",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			fn, ok := typeutil.Callee(pass.TypesInfo, n.(*ast.CallExpr)).(*types.Func)
			if ok && fn.Name() == "Slow" {
				pass.Report(analysis.Diagnostic{Pos: n.Pos(), Message: "Slow " + fn.Type().String(), Category: report.KindCache})
			}
		})
		return nil, nil
	},
}

// cached runs the rules over patterns in dir with the cache in cache and
// the given tool identity.
func cached(t *testing.T, dir, cache, tool string, rules []all.Rule, tags []string, patterns ...string) *Result {
	t.Helper()
	res, err := Run(context.Background(), Config{Dir: dir, Patterns: patterns, Tests: true, Tags: tags, Rules: rules, CacheDir: cache, toolID: tool})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

var slowRules = []all.Rule{{Analyzer: slowcall, Category: report.CategoryRecursion}}

// comparable is what a cached run must reproduce exactly.
func comparable(r *Result) []any {
	return []any{r.Root, r.Findings, r.Hidden, r.Fixes, r.PackageErrors, r.Loops, r.DirectiveErrors, r.DroppedFixes, r.MainDirs, r.TestDirs}
}

func TestCacheReproducesTheRun(t *testing.T) {
	dir, cache := copyFixture(t), t.TempDir()
	uncached := run(t, dir, true, "./...")
	first := cached(t, dir, cache, "tool1", slowRules, nil, "./...")
	second := cached(t, dir, cache, "tool1", slowRules, nil, "./...")
	if !reflect.DeepEqual(comparable(uncached), comparable(first)) {
		t.Errorf("a run that fills the cache differs from one without:\n%+v\n%+v", comparable(uncached), comparable(first))
	}
	if !reflect.DeepEqual(comparable(first), comparable(second)) {
		t.Errorf("the cached run differs:\n%+v\n%+v", comparable(first), comparable(second))
	}
	// a [a.test], a_test? (none), cmd/app; broken does not type-check and
	// is never cached.
	if first.Cached != 0 || second.Cached != first.Analyzed-1 || second.Analyzed != 1 {
		t.Errorf("first run analyzed %d, cached %d; second analyzed %d, cached %d", first.Analyzed, first.Cached, second.Analyzed, second.Cached)
	}
	// The fixes of a cached result are still type-checked before writing.
	changes, _, err := Changes(second.Fixes)
	if err != nil || len(changes) == 0 {
		t.Fatalf("Changes: %v, %d changes", err, len(changes))
	}
	if err := second.Check(changes); err != nil {
		t.Errorf("Check of cached fixes: %v", err)
	}
	bad := slices.Clone(changes)
	bad[0].New = append(slices.Clone(bad[0].New), []byte("\nvar _ int = \"x\"\n")...)
	if err := second.Check(bad); err == nil || !strings.Contains(err.Error(), "does not type-check") {
		t.Errorf("Check of an ill-typed change from a cached result: %v", err)
	}
}

func TestCacheInvalidation(t *testing.T) {
	dir, cache := copyFixture(t), t.TempDir()
	base := cached(t, dir, cache, "tool1", slowRules, nil, "./...")
	everyPkg := base.Analyzed

	// Editing a file re-runs its package only.
	a := filepath.Join(dir, "a", "a.go")
	src, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a, append(src, []byte("\nvar _ = slow() + slow()\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	res := cached(t, dir, cache, "tool1", slowRules, nil, "./...")
	if res.Analyzed != 2 || len(res.Findings) != len(base.Findings)+2 { // a [a.test] and broken
		t.Errorf("after editing a/a.go: analyzed %d (want 2), %d findings (want %d)", res.Analyzed, len(res.Findings), len(base.Findings)+2)
	}

	// Another rule set, or its categories, re-runs everything.
	other := []all.Rule{{Analyzer: slowcall, Category: report.CategoryAlloc}}
	if res := cached(t, dir, cache, "tool1", other, nil, "./..."); res.Cached != 0 || res.Findings[0].Category != report.CategoryAlloc {
		t.Errorf("another category: %d packages cached, category %q", res.Cached, res.Findings[0].Category)
	}
	// As do build tags and another advisor executable.
	if res := cached(t, dir, cache, "tool1", slowRules, []string{"extra"}, "./..."); res.Cached != 0 {
		t.Errorf("with -tags extra: %d packages cached", res.Cached)
	}
	if res := cached(t, dir, cache, "tool2", slowRules, nil, "./..."); res.Cached != 0 || res.Analyzed != everyPkg {
		t.Errorf("another executable: %d cached, %d analyzed (want %d)", res.Cached, res.Analyzed, everyPkg)
	}
	// And the original configuration still hits.
	if res := cached(t, dir, cache, "tool1", slowRules, nil, "./..."); res.Analyzed != 1 {
		t.Errorf("back to the first configuration: %d analyzed, want 1 (broken)", res.Analyzed)
	}
}

// depModule writes a module where package use calls lib.Slow.
func depModule(t *testing.T, libSrc string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":     "module example.com/dep\n\ngo 1.26\n",
		"lib/lib.go": libSrc,
		"use/use.go": "package use\n\nimport \"example.com/dep/lib\"\n\nvar X = lib.Slow()\n",
		"other/o.go": "package other\n\nfunc Slow() int { return 0 }\n\nvar Y = Slow()\n",
	}
	for name, src := range files {
		writeFile(t, filepath.Join(dir, name), src)
	}
	return dir
}

func writeFile(t *testing.T, name, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCacheDependencyChange(t *testing.T) {
	dir, cache := depModule(t, "package lib\n\nfunc Slow() int { return 1 }\n"), t.TempDir()
	rules := []all.Rule{{Analyzer: sigcall, Category: report.CategoryRecursion}}
	messages := func(r *Result) []string {
		var m []string
		for _, f := range r.Findings {
			m = append(m, f.File+": "+f.Message)
		}
		return m
	}
	first := cached(t, dir, cache, "tool1", rules, nil, "./...")
	if want := []string{"other/o.go: Slow func() int", "use/use.go: Slow func() int"}; !slices.Equal(messages(first), want) {
		t.Fatalf("findings %q, want %q", messages(first), want)
	}
	// A change of lib's API changes its export data: use is analyzed
	// again and sees the new signature; other, which does not import lib,
	// comes from the cache.
	writeFile(t, filepath.Join(dir, "lib", "lib.go"), "package lib\n\nfunc Slow() string { return \"\" }\n")
	second := cached(t, dir, cache, "tool1", rules, nil, "./...")
	if want := []string{"other/o.go: Slow func() int", "use/use.go: Slow func() string"}; !slices.Equal(messages(second), want) {
		t.Errorf("after the change: findings %q, want %q", messages(second), want)
	}
	if second.Analyzed != 2 || second.Cached != 1 { // lib and use; other cached
		t.Errorf("after the change: analyzed %d, cached %d; want 2 and 1", second.Analyzed, second.Cached)
	}
}

func TestCorruptCacheEntriesAreIgnored(t *testing.T) {
	dir, cache := copyFixture(t), t.TempDir()
	first := cached(t, dir, cache, "tool1", slowRules, nil, "./...")
	var entries []string
	if err := filepath.Walk(cache, func(path string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(path, "-lint") {
			entries = append(entries, path)
		}
		return err
	}); err != nil || len(entries) == 0 {
		t.Fatalf("no cache entries (%v)", err)
	}
	for i, e := range entries {
		data, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		switch i % 3 {
		case 0:
			data = data[:len(data)/2] // truncated
		case 1:
			data = []byte("garbage")
		default:
			data = append(data[:65], []byte(`{"findings":[{"rule":1}]}`)...) // right key, bad content
		}
		if err := os.WriteFile(e, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second := cached(t, dir, cache, "tool1", slowRules, nil, "./...")
	if !reflect.DeepEqual(comparable(first), comparable(second)) {
		t.Errorf("with corrupt entries the result differs:\n%+v\n%+v", comparable(first), comparable(second))
	}
	if second.Cached != 0 {
		t.Errorf("%d corrupt entries used", second.Cached)
	}
	// The entries were rewritten.
	if third := cached(t, dir, cache, "tool1", slowRules, nil, "./..."); third.Cached != first.Analyzed-1 {
		t.Errorf("after rewriting: %d cached, want %d", third.Cached, first.Analyzed-1)
	}
}

func TestExecutableID(t *testing.T) {
	id, err := executableID()
	if err != nil || len(id) != 64 {
		t.Fatalf("executableID = %q, %v", id, err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	writeFile(t, a, "advisor 1")
	writeFile(t, b, "advisor 2")
	ia, _ := fileID(a)
	ib, _ := fileID(b)
	if ia == ib || ia == "" {
		t.Errorf("two different executables have the same identity %q", ia)
	}
}

// slowFact marks a function named slow.
type slowFact struct{}

func (*slowFact) AFact() {}

// factcall reports calls of functions marked by slowFact, exported from
// the package that declares them: a rule set with facts.
var factcall = &analysis.Analyzer{
	Name:      "factcall",
	Doc:       "factcall: report calls of functions with a slow fact",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	FactTypes: []analysis.Fact{new(slowFact)},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, name := range pass.Pkg.Scope().Names() {
			if fn, ok := pass.Pkg.Scope().Lookup(name).(*types.Func); ok && name == "slow" {
				pass.ExportObjectFact(fn, new(slowFact))
			}
		}
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			fn, ok := typeutil.Callee(pass.TypesInfo, n.(*ast.CallExpr)).(*types.Func)
			if ok && pass.ImportObjectFact(fn, new(slowFact)) {
				pass.Report(analysis.Diagnostic{Pos: n.Pos(), Message: "slow call", Category: report.KindCache})
			}
		})
		return nil, nil
	},
}

// TestRunWithFacts checks that a rule set with facts runs over the whole
// loaded graph (and that nothing is cached for it).
func TestRunWithFacts(t *testing.T) {
	dir, cache := copyFixture(t), t.TempDir()
	rules := []all.Rule{{Analyzer: factcall, Category: report.CategoryRecursion}}
	res := cached(t, dir, cache, "tool1", rules, nil, "./...")
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
	}
	// slowcall's findings, and the call its directive suppresses only for
	// slowcall.
	want := []string{"a/a.go:10", "a/a.go:18", "a/a.go:24", "a/a.go:30", "a/a.go:33", "a/a_test.go:6", "cmd/app/main.go:10"}
	if !slices.Equal(got, want) {
		t.Errorf("findings with facts at %q, want %q", got, want)
	}
	if again := cached(t, dir, cache, "tool1", rules, nil, "./..."); again.Cached != 0 {
		t.Errorf("%d packages cached for a rule set with facts", again.Cached)
	}
}

func TestContentAddressed(t *testing.T) {
	h := strings.Repeat("0a", 32)
	for name, want := range map[string]bool{
		h + "-d": true, h: false, h + "-a": false, strings.ToUpper(h) + "-d": false,
		strings.Repeat("zz", 32) + "-d": false, "_pkg_.a": false,
	} {
		if got := contentAddressed(name); got != want {
			t.Errorf("contentAddressed(%q) = %v, want %v", name, got, want)
		}
	}
}
