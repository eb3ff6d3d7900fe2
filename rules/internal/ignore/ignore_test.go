package ignore_test

import (
	"go/ast"
	"testing"

	"github.com/advisor-dev/advisor/rules/internal/ignore"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// demo reports every call of a function named slow.
var demo = &analysis.Analyzer{
	Name:     "demo",
	Doc:      "demo: report calls of slow",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			call := n.(*ast.CallExpr)
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "slow" {
				pass.Reportf(call.Pos(), "call to slow")
			}
		})
		return nil, nil
	},
}

// other is a second rule name for directives that list several rules.
var other = &analysis.Analyzer{
	Name: "other",
	Doc:  "other: report nothing",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func TestSuppression(t *testing.T) {
	wrapped, dirs := ignore.WrapAll([]*analysis.Analyzer{demo, other})
	if wrapped[0].Name != "demo" || wrapped[0] == demo {
		t.Fatalf("WrapAll must return renamed-free copies, got %v", wrapped[0])
	}
	analysistest.Run(t, analysistest.TestData(), wrapped[0], "a")
	analysistest.Run(t, analysistest.TestData(), dirs, "bad")
}

func TestUnwrappedReportsEverything(t *testing.T) {
	// The same package without the wrapper: the suppressed calls are
	// reported, which proves the wrapper (not the analyzer) filters them.
	results := analysistest.Run(&quietT{T: t}, analysistest.TestData(), demo, "a")
	n := 0
	for _, r := range results {
		n += len(r.Diagnostics)
	}
	if want := 14; n != want {
		t.Errorf("unwrapped demo reported %d diagnostics, want %d", n, want)
	}
}

// quietT swallows analysistest's complaints about unexpected diagnostics,
// which this test expects.
type quietT struct{ *testing.T }

func (quietT) Errorf(string, ...any) {}
