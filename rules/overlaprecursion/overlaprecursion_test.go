package overlaprecursion_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/overlaprecursion"
)

func Test(t *testing.T) {
	testdata := analysistest.TestData()
	analysistest.Run(t, testdata, overlaprecursion.Analyzer, "a")
	analysistest.RunWithSuggestedFixes(t, testdata, overlaprecursion.Analyzer, "fix")
}

// TestFixedCodeTypeChecks checks that the code the suggested fix produces
// (the golden file) compiles, not only that it matches.
func TestFixedCodeTypeChecks(t *testing.T) {
	fset := token.NewFileSet()
	name := filepath.Join(analysistest.TestData(), "src", "fix", "fix.go.golden")
	f, err := parser.ParseFile(fset, name, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("fix", fset, []*ast.File{f}, nil); err != nil {
		t.Fatalf("fixed code does not type-check: %v", err)
	}
}
