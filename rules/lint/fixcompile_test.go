package lint

import (
	"context"
	"go/ast"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/rules/all"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"
)

// TestEveryFixCompiles copies every rule's testdata packages (the golden
// cases and the `// want` cases) and testdata/shapes (real-code shapes,
// including lookuponce's two-read form) into one module, runs every rule
// with fixes over it, applies all fixes, and type-checks the result: no
// offered fix may break the build, and none may be dropped either (a
// dropped fix is a rule bug the type check caught).
func TestEveryFixCompiles(t *testing.T) {
	mod := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(mod, "go.mod"), "module fixcheck\n\ngo 1.26\n")
	dirs, err := filepath.Glob(filepath.Join("..", "*", "testdata", "src", "*"))
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, filepath.Join("testdata", "shapes"))
	copied := 0
	for _, d := range dirs {
		srcs, _ := filepath.Glob(filepath.Join(d, "*.go"))
		if len(srcs) == 0 || importsNonStd(t, srcs) {
			continue // GOPATH-style stubs of other modules (sequentialio's errgroup)
		}
		name := "shapes"
		if d != filepath.Join("testdata", "shapes") {
			name = filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(d)))) + "_" + filepath.Base(d)
		}
		dst := filepath.Join(mod, name)
		for _, s := range srcs {
			b, err := os.ReadFile(s)
			if err != nil {
				t.Fatal(err)
			}
			write(filepath.Join(dst, filepath.Base(s)), string(b))
		}
		copied++
	}
	if copied < 12 {
		t.Fatalf("copied %d testdata packages, want every rule's", copied)
	}
	fixed := 0
	for round := 0; round < 5; round++ { // overlapping fixes wait for the next round
		res, err := Run(context.Background(), Config{Dir: mod, Patterns: []string{"./..."}, Tests: true, Rules: all.Rules()})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.PackageErrors) > 0 {
			t.Fatalf("round %d: package errors: %v", round, res.PackageErrors)
		}
		for _, d := range res.DroppedFixes {
			t.Errorf("round %d: %s", round, d)
		}
		if len(res.Fixes) == 0 {
			break
		}
		changes, _, err := Changes(res.Fixes)
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Check(changes); err != nil {
			t.Fatal(err)
		}
		if err := Write(changes); err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			fixed += c.Applied
		}
	}
	if fixed < 10 {
		t.Errorf("applied %d fixes, want the golden cases' (at least 10)", fixed)
	}
	pkgs, err := packages.Load(&packages.Config{Dir: mod, Tests: true, Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			t.Errorf("after the fixes: %s", e)
		}
	})
	// The two-read form was fixed, not skipped.
	b, err := os.ReadFile(filepath.Join(mod, "shapes", "shapes.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "v, ok := s.objects[h]\n\tif !ok {\n\t\treturn nil, errNotFound\n\t}\n\treturn v, nil") {
		t.Errorf("two-read form not fixed:\n%s", b)
	}
}

// importsNonStd reports whether any of the files imports a path whose first
// element has a dot (a module the test module does not require).
func importsNonStd(t *testing.T, files []string) bool {
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.Lines(string(b)) {
			l = strings.TrimSpace(l)
			l = strings.TrimPrefix(l, "import ")
			if strings.HasPrefix(l, `"`) {
				first, _, _ := strings.Cut(strings.Trim(l, `"`), "/")
				if strings.Contains(first, ".") {
					return true
				}
			}
		}
	}
	return false
}

// badfix reports calls of slow with a fix calling an undefined function.
var badfix = &analysis.Analyzer{
	Name:     "badfix",
	Doc:      "badfix: report calls of slow with a fix that does not compile",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		for n := range in.PreorderSeq((*ast.CallExpr)(nil)) {
			call := n.(*ast.CallExpr)
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "slow" {
				pass.Report(analysis.Diagnostic{
					Pos: call.Pos(), Message: "slow", Category: report.KindHoist,
					SuggestedFixes: []analysis.SuggestedFix{{Message: "call nosuch",
						TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("nosuch")}}}},
				})
			}
		}
		return nil, nil
	},
}

func TestFixThatDoesNotTypeCheckIsDropped(t *testing.T) {
	dir := copyFixture(t)
	res, err := Run(context.Background(), Config{Dir: dir, Patterns: []string{"./..."}, Rules: []all.Rule{{Analyzer: badfix, Category: report.CategoryAlloc}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	if len(res.Fixes) != 0 {
		t.Errorf("fixes offered: %+v", res.Fixes)
	}
	if len(res.DroppedFixes) != len(res.Findings) || !strings.Contains(res.DroppedFixes[0], "badfix: fix dropped: the fixed package does not type-check: ") || !strings.Contains(res.DroppedFixes[0], "undefined: nosuch") {
		t.Errorf("dropped: %q", res.DroppedFixes)
	}
	// Check refuses changes it did not type-check.
	if err := res.Check([]Change{{File: filepath.Join(dir, "x.go")}}); err == nil {
		t.Error("Check accepted an unchecked change")
	}
}
