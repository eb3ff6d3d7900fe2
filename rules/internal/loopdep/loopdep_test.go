package loopdep_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/internal/loopdep"
)

// testAnalyzer reports the verdict on every loop that is not plainly
// Independent: "loop: <verdict>: <reason>", and "loop: already concurrent:
// <reason>" for an independent loop that starts goroutines.
var testAnalyzer = &analysis.Analyzer{
	Name: "loopdeptest",
	Doc:  "report loopdep verdicts",
	Run: func(pass *analysis.Pass) (any, error) {
		a := loopdep.New(pass.TypesInfo, pass.Pkg, pass.Files)
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n.(type) {
				case *ast.ForStmt, *ast.RangeStmt:
					r := a.Loop(n.(ast.Stmt))
					switch {
					case r.Verdict != loopdep.Independent:
						pass.Reportf(n.Pos(), "loop: %s: %s", r.Verdict, r.Reason)
					case r.AlreadyConcurrent:
						pass.Reportf(n.Pos(), "loop: already concurrent: %s", r.Reason)
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), testAnalyzer, "a")
}
