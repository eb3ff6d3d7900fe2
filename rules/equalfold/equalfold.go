package equalfold

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports case-insensitive comparisons that lower both sides.
var Analyzer = &analysis.Analyzer{
	Name:     "equalfold",
	Doc:      ruledoc.Extract(doc, "equalfold"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/equalfold",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for n := range in.PreorderSeq((*ast.BinaryExpr)(nil), (*ast.CallExpr)(nil)) {
		var x, y ast.Expr
		pkg := "strings"
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				continue
			}
			x, y = n.X, n.Y
		case *ast.CallExpr:
			fn, ok := typeutil.Callee(info, n).(*types.Func)
			if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "bytes" || fn.Name() != "Equal" || len(n.Args) != 2 {
				continue
			}
			x, y, pkg = n.Args[0], n.Args[1], "bytes"
		}
		fx, fy := caseFunc(info, x, pkg), caseFunc(info, y, pkg)
		if fx == "" || fx != fy {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:      n.Pos(),
			End:      n.End(),
			Category: "builder",
			Message:  "both sides are converted by " + pkg + "." + fx + " only to be compared; " + pkg + ".EqualFold compares without allocating",
		})
	}
	return nil, nil
}

// caseFunc returns "ToLower" or "ToUpper" when e is a call of that function
// of package pkg, and "" otherwise.
func caseFunc(info *types.Info, e ast.Expr, pkg string) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return ""
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != pkg {
		return ""
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return ""
	}
	switch fn.Name() {
	case "ToLower", "ToUpper":
		return fn.Name()
	}
	return ""
}
