package prealloc

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/advisor-dev/advisor/rules/internal/allocutil"
)

// appendSpread matches `v = append(v, E...)` in the body of a range loop over
// a slice, array or map, where E is an element of the collection whose
// length can be read before the loop: the range value (xs), a field path of
// it (p.Items), or the collection indexed by the range key (xss[i]). It
// returns v, the append call and E. The appended lengths then add up to a
// total that a first pass over the collection computes, so the slice can be
// allocated once (the same two passes bytes.Join and slices.Concat make).
func appendSpread(info *types.Info, loop inspector.Cursor, s ast.Stmt) (*types.Var, *ast.CallExpr, ast.Expr) {
	rs, ok := loop.Node().(*ast.RangeStmt)
	if !ok || rs.Tok != token.DEFINE {
		return nil, nil, nil
	}
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return nil, nil, nil
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok || !allocutil.IsBuiltin(info, call, "append") || len(call.Args) != 2 || !call.Ellipsis.IsValid() {
		return nil, nil, nil
	}
	v := allocutil.LocalVar(info, as.Lhs[0])
	if v == nil || v.Parent() == nil || v.Parent() == v.Pkg().Scope() || allocutil.LocalVar(info, call.Args[0]) != v {
		return nil, nil, nil
	}
	key, val := rangeVar(info, rs.Key), rangeVar(info, rs.Value)
	e := ast.Unparen(call.Args[1])
	if !elementOf(info, e, rs.X, key, val, len(rs.Body.List) == 1) {
		return nil, nil, nil
	}
	// The loop must not change what the lengths are read from: neither
	// the range variables nor the collection.
	for _, obj := range []*types.Var{key, val} {
		if obj != nil && allocutil.Mutated(info, obj, rs.Body) {
			return nil, nil, nil
		}
	}
	if root := allocutil.LocalVar(info, rootOf(rs.X)); root == nil || root == v || allocutil.Mutated(info, root, rs.Body) {
		return nil, nil, nil
	}
	return v, call, e
}

// rangeVar returns the variable a range clause declares in e (nil for _ or
// none).
func rangeVar(info *types.Info, e ast.Expr) *types.Var {
	if e == nil {
		return nil
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := info.Defs[id].(*types.Var)
	return v
}

// elementOf reports whether e is the range value val, a field path rooted
// at it, or x[key] for the range expression x. Fields through pointers
// count only when onlyAppend says the loop body is the append alone.
func elementOf(info *types.Info, e, x ast.Expr, key, val *types.Var, onlyAppend bool) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return val != nil && info.Uses[e] == val
	case *ast.SelectorExpr:
		sel := info.Selections[e]
		if sel == nil || sel.Kind() != types.FieldVal {
			return false
		}
		// A field through a pointer: the pointee could change in the loop;
		// only a loop that does nothing but the append cannot change it.
		if _, ptr := info.TypeOf(e.X).Underlying().(*types.Pointer); ptr && !onlyAppend {
			return false
		}
		return elementOf(info, ast.Unparen(e.X), x, key, val, onlyAppend)
	case *ast.IndexExpr:
		id, ok := ast.Unparen(e.Index).(*ast.Ident)
		if !ok || key == nil || info.Uses[id] != key {
			return false
		}
		return types.ExprString(e.X) == types.ExprString(x) && allocutil.Simple(e.X)
	}
	return false
}

// rootOf returns the identifier at the base of a path expression.
func rootOf(e ast.Expr) ast.Expr {
	for {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return ast.Unparen(e)
		}
		e = sel.X
	}
}

func reportSpread(pass *analysis.Pass, v *types.Var, call *ast.CallExpr, init ast.Expr, nilStart bool, spread ast.Expr, decl ast.Stmt, loop inspector.Cursor) {
	var rs *ast.RangeStmt
	switch n := loop.Node().(type) {
	case *ast.RangeStmt:
		rs = n
	case *ast.LabeledStmt:
		rs = n.Stmt.(*ast.RangeStmt)
	}
	typ := types.TypeString(v.Type(), allocutil.Qualifier(pass.Pkg))
	name := freshName(pass.Pkg, decl, enclosingFunc(loop))
	sum := sumLoop(rs, spread, name)
	oneLine := strings.Replace(strings.ReplaceAll(strings.ReplaceAll(sum, "\n\t", " "), "\n", " "), " 0 ", " 0; ", 1)
	d := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "prealloc",
		Message: fmt.Sprintf("%s grows by append of len(%s) elements per iteration of a loop over %s; add up the lengths first and preallocate it (%s; make(%s, 0, %s))",
			v.Name(), types.ExprString(spread), types.ExprString(rs.X), oneLine, typ, cmp.Or(name, "n")),
	}
	// The fix computes the total where the slice is declared, so the
	// declaration must be the statement just before the loop: nothing in
	// between may change the collection.
	if prev, ok := loop.PrevSibling(); ok && prev.Node() == decl && !nilStart && name != "" {
		var typExpr ast.Expr
		switch init := ast.Unparen(init).(type) {
		case *ast.CompositeLit:
			typExpr = init.Type
		case *ast.CallExpr:
			typExpr = init.Args[0]
		}
		indent := strings.Repeat("\t", pass.Fset.Position(decl.Pos()).Column-1)
		pre := strings.ReplaceAll(sum, "\n", "\n"+indent) + "\n" + indent
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message: "preallocate " + v.Name() + " with the total length",
			TextEdits: []analysis.TextEdit{
				{Pos: decl.Pos(), End: decl.Pos(), NewText: []byte(pre)},
				{Pos: init.Pos(), End: init.End(), NewText: []byte(fmt.Sprintf("make(%s, 0, %s)", types.ExprString(typExpr), name))},
			},
		}}
	}
	pass.Report(d)
}

// sumLoop is the code that adds up the lengths: n := 0 and a range loop
// over the same collection, with the original loop's variable names.
func sumLoop(rs *ast.RangeStmt, spread ast.Expr, name string) string {
	if name == "" {
		name = "n"
	}
	vars := "_"
	if k, ok := rs.Key.(*ast.Ident); ok && mentions(spread, k.Name) {
		vars = k.Name
	}
	if val, ok := rs.Value.(*ast.Ident); ok && mentions(spread, val.Name) {
		vars += ", " + val.Name
	}
	x := types.ExprString(rs.X)
	clause := vars + " := range " + x
	if vars == "_" {
		clause = "range " + x
	}
	return fmt.Sprintf("%s := 0\nfor %s {\n\t%s += len(%s)\n}", name, clause, name, types.ExprString(spread))
}

// mentions reports whether an identifier named name occurs in e.
func mentions(e ast.Expr, name string) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// enclosingFunc returns the body of the innermost function around cur.
func enclosingFunc(cur inspector.Cursor) ast.Node {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return c.Node()
	}
	return nil
}

// freshName picks a name for the total that nothing in scope at decl uses
// and no identifier of the enclosing function spells (so the new variable
// neither shadows nor is shadowed), or "" when none of the candidates is
// free.
func freshName(pkg *types.Package, decl ast.Stmt, fn ast.Node) string {
	used := map[string]bool{}
	if fn != nil {
		ast.Inspect(fn, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				used[id.Name] = true
			}
			return true
		})
	}
	scope := pkg.Scope().Innermost(decl.Pos())
	for _, name := range []string{"n", "size", "total", "length"} {
		if used[name] {
			continue
		}
		if scope != nil {
			if _, obj := scope.LookupParent(name, decl.Pos()); obj != nil {
				continue
			}
		}
		return name
	}
	return ""
}
