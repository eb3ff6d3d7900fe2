package loopinv_test

import (
	"go/ast"
	"testing"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// probe reports, for each call of the testdata's marker functions, what
// loopinv says about it:
//
//	_ = x   -> "invariant" or "variant" with respect to the innermost loop
//	           (loopinv.ByName in package byname, MayAlias elsewhere)
//	depth() -> "depth N", the number of enclosing loops
//	once()  -> "leaves" when LeavesLoop holds for the innermost loop
//	oncePer() -> "once per loop" when OncePerLoop holds for the innermost loop
//	trips() -> "trips N" or "trips unknown" for the innermost loop
//	repeats(any) -> "repeats" when Repeats holds for the innermost loop
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "test probe for loopinv",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		// Blank assignments probe invariance: unlike a call they add no
		// effect to the loop.
		for cur := range in.Root().Preorder((*ast.AssignStmt)(nil)) {
			as := cur.Node().(*ast.AssignStmt)
			if id, ok := as.Lhs[0].(*ast.Ident); !ok || id.Name != "_" || len(as.Lhs) != 1 {
				continue
			}
			loops := loopinv.Enclosing(cur)
			if len(loops) == 0 {
				continue
			}
			mem := loopinv.MayAlias
			if pass.Pkg.Name() == "byname" {
				mem = loopinv.ByName
			}
			verdict := "variant"
			if loopinv.New(pass.TypesInfo, loops[0], mem).Invariant(as.Rhs[0]) {
				verdict = "invariant"
			}
			pass.Reportf(as.Pos(), "%s", verdict)
		}
		for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
			call := cur.Node().(*ast.CallExpr)
			fn := typeutil.StaticCallee(pass.TypesInfo, call)
			if fn == nil || fn.Pkg() != pass.Pkg {
				continue
			}
			loops := loopinv.Enclosing(cur)
			switch fn.Name() {
			case "depth":
				pass.Reportf(call.Pos(), "depth %d", len(loops))
			case "trips":
				if n, ok := loopinv.ConstTrips(pass.TypesInfo, loops[0].Node().(ast.Stmt)); ok {
					pass.Reportf(call.Pos(), "trips %d", n)
				} else {
					pass.Reportf(call.Pos(), "trips unknown")
				}
			case "repeats":
				if loopinv.Repeats(pass.TypesInfo, loops[0].Node().(ast.Stmt)) {
					pass.Reportf(call.Pos(), "repeats")
				}
			case "once":
				if len(loops) > 0 && loopinv.LeavesLoop(pass.TypesInfo, loops[0], cur) {
					pass.Reportf(call.Pos(), "leaves")
				}
			case "oncePer":
				if len(loops) > 0 && loopinv.OncePerLoop(pass.TypesInfo, loops[0], cur) {
					pass.Reportf(call.Pos(), "once per loop")
				}
			}
		}
		return nil, nil
	},
}

func TestLoopinv(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "a", "byname")
}
