package prealloc

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

// Analyzer reports append growth in loops with a known bound.
var Analyzer = &analysis.Analyzer{
	Name:     "prealloc",
	Doc:      ruledoc.Extract(doc, "prealloc"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/prealloc",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		check(pass, cur)
	}
	return nil, nil
}

// check examines one loop: it must have a known trip count and its body
// must append to a slice declared just before it, once per iteration.
func check(pass *analysis.Pass, loop inspector.Cursor) {
	info := pass.TypesInfo
	bound := tripCount(info, loop)
	if bound == nil {
		return
	}
	body := astutil.LoopBody(loop.Node())
	if allocutil.HasLoopExit(body, allocutil.LoopLabel(loop)) {
		return
	}
	// The loop statement as it sits in its block (it may be labeled).
	stmt := loop
	if _, ok := loop.Parent().Node().(*ast.LabeledStmt); ok {
		stmt = loop.Parent()
	}
	for i, s := range body.List {
		v, call := appendOne(info, s)
		var spread ast.Expr // the spread operand of `v = append(v, xs...)`
		if v == nil {
			v, call, spread = appendSpread(info, loop, s)
		}
		if v == nil {
			continue
		}
		// Every earlier statement of the body runs to completion and falls
		// through to this one: no continue may skip the append.
		skipped := false
		for _, prev := range body.List[:i] {
			if allocutil.HasContinue(prev, allocutil.LoopLabel(loop)) {
				skipped = true
			}
		}
		if skipped || !onlyWriteIsAppend(info, v, body, s) {
			continue
		}
		decl, init, nilStart := declaration(pass, stmt, v)
		if decl == nil {
			continue
		}
		if spread != nil {
			reportSpread(pass, v, call, init, nilStart, spread, decl, stmt)
			continue
		}
		report(pass, v, call, init, nilStart, bound, decl, stmt)
	}
}

// tripCount returns an expression for the number of iterations of the loop
// at cur when it is known before the loop starts, or nil. The bound of a
// for loop must be invariant by name (loopinv.ByName): the appends in the
// body are effects, under which a bound such as len(p.items) would never be.
func tripCount(info *types.Info, cur inspector.Cursor) ast.Expr {
	switch loop := cur.Node().(type) {
	case *ast.RangeStmt:
		if !allocutil.Simple(loop.X) {
			return nil
		}
		switch t := info.TypeOf(loop.X).Underlying().(type) {
		case *types.Slice, *types.Array, *types.Map:
			return lenOf(loop.X)
		case *types.Pointer:
			if _, ok := t.Elem().Underlying().(*types.Array); ok {
				return lenOf(loop.X)
			}
		case *types.Basic:
			if t.Info()&types.IsInteger != 0 {
				return loop.X
			}
		}
	case *ast.ForStmt:
		// for i := 0; i < n; i++ with i not written in the body.
		init, ok := loop.Init.(*ast.AssignStmt)
		if !ok || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
			return nil
		}
		if v, ok := allocutil.ConstInt(info, init.Rhs[0]); !ok || v != 0 {
			return nil
		}
		i := allocutil.LocalVar(info, init.Lhs[0])
		cond, ok := loop.Cond.(*ast.BinaryExpr)
		if i == nil || !ok || cond.Op != token.LSS || allocutil.LocalVar(info, cond.X) != i {
			return nil
		}
		post, ok := loop.Post.(*ast.IncDecStmt)
		if !ok || post.Tok != token.INC || allocutil.LocalVar(info, post.X) != i {
			return nil
		}
		if allocutil.Mutated(info, i, loop.Body) || !loopinv.New(info, cur, loopinv.ByName).Invariant(cond.Y) || !boundExpr(info, cond.Y) {
			return nil
		}
		return cond.Y
	}
	return nil
}

// boundExpr reports whether e is cheap and pure enough to be evaluated
// again in the suggested make call: a path expression, a constant, or len of
// a path expression.
func boundExpr(info *types.Info, e ast.Expr) bool {
	if _, ok := allocutil.ConstInt(info, e); ok {
		return true
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && allocutil.IsBuiltin(info, call, "len") && len(call.Args) == 1 {
		return allocutil.Simple(call.Args[0])
	}
	return allocutil.Simple(e)
}

func lenOf(x ast.Expr) ast.Expr {
	return &ast.CallExpr{Fun: ast.NewIdent("len"), Args: []ast.Expr{x}}
}

// appendOne matches `v = append(v, x)` with exactly one appended element
// and returns v and the append call.
func appendOne(info *types.Info, s ast.Stmt) (*types.Var, *ast.CallExpr) {
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return nil, nil
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok || !allocutil.IsBuiltin(info, call, "append") || len(call.Args) != 2 || call.Ellipsis.IsValid() {
		return nil, nil
	}
	v := allocutil.LocalVar(info, as.Lhs[0])
	if v == nil || v.Parent() == nil || v.Parent() == v.Pkg().Scope() || allocutil.LocalVar(info, call.Args[0]) != v {
		return nil, nil
	}
	return v, call
}

// onlyWriteIsAppend reports whether the append statement is the only write
// to v in the loop body.
func onlyWriteIsAppend(info *types.Info, v *types.Var, body *ast.BlockStmt, app ast.Stmt) bool {
	for _, s := range body.List {
		if s != app && allocutil.Mutated(info, v, s) {
			return false
		}
	}
	return true
}

// declaration finds the statement declaring v in the block holding the
// loop, before it, with an empty, capacity-less initial value, and no
// mention of v between the two. It returns the declaration, the initializer
// expression (nil for `var v []T`) and whether v starts nil.
func declaration(pass *analysis.Pass, loop inspector.Cursor, v *types.Var) (ast.Stmt, ast.Expr, bool) {
	info := pass.TypesInfo
	for c, ok := loop.PrevSibling(); ok; c, ok = c.PrevSibling() {
		s, isStmt := c.Node().(ast.Stmt)
		if !isStmt {
			return nil, nil, false
		}
		if !allocutil.Within(s, v.Pos()) {
			if len(allocutil.Uses(info, v, s)) > 0 {
				return nil, nil, false // used before the loop
			}
			continue
		}
		switch s := s.(type) {
		case *ast.DeclStmt:
			gd := s.Decl.(*ast.GenDecl)
			if len(gd.Specs) != 1 {
				return nil, nil, false
			}
			spec, ok := gd.Specs[0].(*ast.ValueSpec)
			if !ok {
				return nil, nil, false
			}
			if len(spec.Values) == 0 {
				return s, nil, true // var v []T, or var a, b []T
			}
			if len(spec.Names) != 1 {
				return nil, nil, false
			}
			if emptyInit(info, spec.Values[0]) {
				return s, spec.Values[0], false
			}
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE && len(s.Lhs) == 1 && len(s.Rhs) == 1 && emptyInit(info, s.Rhs[0]) {
				return s, s.Rhs[0], false
			}
		}
		return nil, nil, false
	}
	return nil, nil, false
}

// emptyInit reports whether e is []T{} or make([]T, 0).
func emptyInit(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		_, isSlice := info.TypeOf(e).Underlying().(*types.Slice)
		return isSlice && len(e.Elts) == 0 && e.Type != nil
	case *ast.CallExpr:
		if allocutil.IsBuiltin(info, e, "make") && len(e.Args) == 2 {
			n, ok := allocutil.ConstInt(info, e.Args[1])
			return ok && n == 0
		}
	}
	return false
}

func report(pass *analysis.Pass, v *types.Var, call *ast.CallExpr, init ast.Expr, nilStart bool, bound ast.Expr, decl ast.Stmt, loop inspector.Cursor) {
	boundText := types.ExprString(bound)
	typ := types.TypeString(v.Type(), allocutil.Qualifier(pass.Pkg))
	d := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "prealloc",
		Message: fmt.Sprintf("%s grows by append once per iteration of a loop with %s iterations; preallocate it (make(%s, 0, %s))",
			v.Name(), boundText, typ, boundText),
	}
	if !nilStart && fixable(pass.TypesInfo, bound, decl, loop) {
		var typExpr ast.Expr
		switch init := ast.Unparen(init).(type) {
		case *ast.CompositeLit:
			typExpr = init.Type
		case *ast.CallExpr:
			typExpr = init.Args[0]
		}
		text := fmt.Sprintf("make(%s, 0, %s)", types.ExprString(typExpr), boundText)
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   "preallocate " + v.Name(),
			TextEdits: []analysis.TextEdit{{Pos: init.Pos(), End: init.End(), NewText: []byte(text)}},
		}}
	}
	pass.Report(d)
}

// fixable reports whether the bound can be evaluated at the declaration:
// every variable it names is declared before it and not written between the
// declaration and the loop.
func fixable(info *types.Info, bound ast.Expr, decl ast.Stmt, loop inspector.Cursor) bool {
	ok := true
	ast.Inspect(bound, func(n ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !isID {
			return true
		}
		v, isVar := info.Uses[id].(*types.Var)
		if !isVar || v.IsField() {
			return true
		}
		if v.Pos() >= decl.Pos() {
			ok = false
		}
		for c, more := loop.PrevSibling(); more && c.Node() != decl; c, more = c.PrevSibling() {
			if allocutil.Mutated(info, v, c.Node()) {
				ok = false
			}
		}
		return true
	})
	return ok
}
