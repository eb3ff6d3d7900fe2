package hoistpure

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/loopinv"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports loop-invariant calls of pure functions inside loops.
var Analyzer = &analysis.Analyzer{
	Name:     "hoistpure",
	Doc:      ruledoc.Extract(doc, "hoistpure"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/hoistpure",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// smallTrips is the constant trip count below which a loop is too short
// for a repeated call to matter.
const smallTrips = 10

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := typeutil.StaticCallee(info, call)
		if fn == nil || !loopinv.Costly(fn) {
			continue
		}
		loops := loopinv.Enclosing(cur)
		if len(loops) == 0 {
			continue
		}
		loop := loopinv.New(info, loops[0], loopinv.MayAlias)
		if !loop.Invariant(call) {
			continue
		}
		if n, ok := loopinv.ConstTrips(info, loop.Node()); ok && n < smallTrips || loopinv.Repeats(info, loop.Node()) {
			continue
		}
		if loopinv.OncePerLoop(info, loops[0], cur) || insideInvariantCall(info, loop, cur) {
			continue
		}
		if changesState(info, loop.Node(), fn) {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: "hoist",
			Message:  fmt.Sprintf("%s is called with loop-invariant arguments on every iteration (compute it once before the loop)", astutil.FuncName(fn)),
		})
	}
	return nil, nil
}

// insideInvariantCall reports whether the call is (part of) an argument of
// an enclosing call that is itself a reported candidate, so that
// strings.Split(strings.ToLower(s), ",") is reported once, at the outer call.
func insideInvariantCall(info *types.Info, loop *loopinv.Loop, cur inspector.Cursor) bool {
	for c := cur.Parent(); c.Valid(); c = c.Parent() {
		switch n := c.Node().(type) {
		case ast.Stmt, *ast.File:
			return false
		case *ast.CallExpr:
			fn := typeutil.StaticCallee(info, n)
			if loopinv.Costly(fn) && loop.Invariant(n) {
				return true
			}
		}
	}
	return false
}

// changesState reports whether the loop calls a function that changes the
// process state fn reads: the environment for os.Getenv and friends, the
// working directory for filepath.Abs.
func changesState(info *types.Info, loop ast.Node, fn *types.Func) bool {
	var writers []string
	switch fn.FullName() {
	case "os.Getenv", "os.LookupEnv", "os.ExpandEnv":
		writers = []string{"os.Setenv", "os.Unsetenv", "os.Clearenv", "(*testing.common).Setenv", "(*testing.T).Setenv"}
	case "path/filepath.Abs":
		writers = []string{"os.Chdir", "(*testing.T).Chdir", "(*testing.common).Chdir"}
	default:
		return false
	}
	found := false
	ast.Inspect(loop, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if callee := typeutil.StaticCallee(info, call); callee != nil {
				for _, w := range writers {
					if callee.FullName() == w {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}
