package stringconcat

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/advisor-dev/advisor/rules/internal/allocutil"
	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
)

//go:embed doc.go
var doc string

// Analyzer reports strings grown by concatenation in loops.
var Analyzer = &analysis.Analyzer{
	Name:     "stringconcat",
	Doc:      ruledoc.Extract(doc, "stringconcat"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/stringconcat",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// smallTrip is the largest constant trip count for which repeated
// concatenation is left alone: the copying is bounded and tiny.
const smallTrip = 8

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	var inits map[types.Object]ast.Expr // built on first need
	// One finding per variable: a string built in five places, in one
	// loop or in several, is one thing to change (make it a
	// strings.Builder), not five.
	type growthAt struct {
		as    *ast.AssignStmt
		v     *types.Var
		how   string
		count int
	}
	found := make(map[*types.Var]*growthAt)
	var order []*growthAt
	for cur := range in.Root().Preorder((*ast.AssignStmt)(nil)) {
		as := cur.Node().(*ast.AssignStmt)
		v, how := growth(info, as)
		if v == nil {
			continue
		}
		loop, ok := loopinv.Innermost(cur)
		if !ok || allocutil.Within(loop.Node(), v.Pos()) {
			continue
		}
		if inits == nil {
			inits = allocutil.Initializers(pass.Files, info)
		}
		if smallLoop(info, loop.Node(), inits) {
			continue
		}
		if reset(info, v, astutil.LoopBody(loop.Node())) || exitsAfter(cur, loop) {
			continue
		}
		if g := found[v]; g != nil {
			g.count++
			continue
		}
		g := &growthAt{as: as, v: v, how: how, count: 1}
		found[v] = g
		order = append(order, g)
	}
	for _, g := range order {
		where := "in a loop"
		if g.count > 1 {
			where = fmt.Sprintf("in a loop (here and in %d more places)", g.count-1)
		}
		pass.Report(analysis.Diagnostic{
			Pos:      g.as.Pos(),
			End:      g.as.End(),
			Category: "builder",
			Message: fmt.Sprintf("%s is built by %s %s; each iteration copies the whole string (use a strings.Builder)",
				g.v.Name(), g.how, where),
		})
	}
	return nil, nil
}

// growth matches an assignment that makes the string variable s longer by
// concatenating onto its old value, and returns s and a description.
func growth(info *types.Info, as *ast.AssignStmt) (*types.Var, string) {
	if len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return nil, ""
	}
	v := allocutil.LocalVar(info, as.Lhs[0])
	if v == nil || !isString(v.Type()) {
		return nil, ""
	}
	switch as.Tok {
	case token.ADD_ASSIGN:
		return v, "+="
	case token.ASSIGN:
		rhs := ast.Unparen(as.Rhs[0])
		if concatOf(info, v, rhs) {
			return v, "+"
		}
		if call, ok := rhs.(*ast.CallExpr); ok && allocutil.IsFunc(info, call, "fmt", "Sprintf", "Sprint") {
			for _, arg := range call.Args {
				if allocutil.LocalVar(info, arg) == v {
					return v, "fmt." + typeName(call)
				}
			}
		}
	}
	return nil, ""
}

func typeName(call *ast.CallExpr) string {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return sel.Sel.Name
	}
	return "Sprintf"
}

// concatOf reports whether e is a chain of string + whose operands include v.
func concatOf(info *types.Info, v *types.Var, e ast.Expr) bool {
	b, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok || b.Op != token.ADD || !isString(info.TypeOf(b)) {
		return false
	}
	for _, op := range []ast.Expr{b.X, b.Y} {
		if allocutil.LocalVar(info, op) == v || concatOf(info, v, op) {
			return true
		}
	}
	return false
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// reset reports whether body assigns v a value that does not depend on v
// itself (s = "", s := ..., s = f()), bounding its growth per iteration.
func reset(info *types.Info, v *types.Var, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found {
			return !found
		}
		if as.Tok != token.ASSIGN && as.Tok != token.DEFINE {
			return true
		}
		for i, lhs := range as.Lhs {
			if allocutil.LocalVar(info, lhs) != v {
				continue
			}
			if len(as.Rhs) != len(as.Lhs) || len(allocutil.Uses(info, v, as.Rhs[i])) == 0 {
				found = true
			}
		}
		return true
	})
	return found
}

// smallLoop reports whether loop runs a small constant number of times:
// a range over a short array or composite literal (or a variable
// initialized with one), or for i := c0; i < c1; i++.
func smallLoop(info *types.Info, loop ast.Node, inits map[types.Object]ast.Expr) bool {
	switch loop := loop.(type) {
	case *ast.RangeStmt:
		if n, ok := allocutil.ConstInt(info, loop.X); ok {
			return n <= smallTrip
		}
		if allocutil.SmallLiteral(loop.X, smallTrip) {
			return true
		}
		if id, ok := ast.Unparen(loop.X).(*ast.Ident); ok && allocutil.SmallLiteral(inits[info.Uses[id]], smallTrip) {
			return true
		}
		t := info.TypeOf(loop.X).Underlying()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem().Underlying()
		}
		if a, ok := t.(*types.Array); ok {
			return a.Len() <= smallTrip
		}
	case *ast.ForStmt:
		init, ok := loop.Init.(*ast.AssignStmt)
		cond, ok2 := loop.Cond.(*ast.BinaryExpr)
		if !ok || !ok2 || len(init.Rhs) != 1 {
			return false
		}
		lo, ok := allocutil.ConstInt(info, init.Rhs[0])
		hi, ok2 := allocutil.ConstInt(info, cond.Y)
		return ok && ok2 && (cond.Op == token.LSS || cond.Op == token.LEQ) && hi-lo <= smallTrip
	}
	return false
}

// exitsAfter reports whether the statement at cur is directly followed by a
// return, or a break or goto that leaves loop: the concatenation then runs
// once, on the way out, rather than on every iteration.
func exitsAfter(cur, loop inspector.Cursor) bool {
	next, ok := cur.NextSibling()
	if !ok {
		return false
	}
	switch n := next.Node().(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		switch n.Tok {
		case token.GOTO:
			return true
		case token.BREAK:
			if n.Label != nil {
				l := allocutil.LoopLabel(loop)
				return l != nil && l.Name == n.Label.Name
			}
			// An unlabeled break leaves the innermost switch, select or loop.
			for c := range next.Enclosing((*ast.SwitchStmt)(nil), (*ast.TypeSwitchStmt)(nil), (*ast.SelectStmt)(nil), (*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
				return c == loop
			}
		}
	}
	return false
}
