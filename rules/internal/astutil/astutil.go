// Package astutil holds small syntax and type helpers that several of
// advisor's rules need in exactly the same form: naming a callee the way a
// user writes it, the parameters of a function, small integer constants,
// statement lists and enclosing functions. Helpers whose answer is specific
// to one family of rules live with that family (loopinv, allocutil,
// callgraph); only helpers with no policy of their own belong here.
package astutil

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// FuncName renders fn as a user writes it in source: strings.ToLower,
// regexp.Regexp.MatchString (the pointer of a method's receiver dropped).
func FuncName(fn *types.Func) string {
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return fn.Pkg().Name() + "." + n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

// Params returns the receiver and parameters of fn as a set.
func Params(fn *types.Func) map[*types.Var]bool {
	sig := fn.Signature()
	ps := make(map[*types.Var]bool)
	if r := sig.Recv(); r != nil {
		ps[r] = true
	}
	for v := range sig.Params().Variables() {
		ps[v] = true
	}
	return ps
}

// Param returns the variable e names when e is (a parenthesized) use of one
// of params, or nil.
func Param(info *types.Info, params map[*types.Var]bool, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || !params[v] {
		return nil
	}
	return v
}

// PackageLevel reports whether v is declared at package level (a global
// variable, as opposed to a local, parameter, result or field).
func PackageLevel(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

// IsInteger reports whether t's underlying type is an integer type.
func IsInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// SmallConst reports whether e is an integer constant k with 1 <= k <= max.
func SmallConst(info *types.Info, e ast.Expr, max int64) bool {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return false
	}
	c, exact := constant.Int64Val(tv.Value)
	return exact && c >= 1 && c <= max
}

// Operands returns what a call passes to its callee: the receiver of a
// method call (x in x.m(a), also when written (x.m)(a)) followed by the
// arguments. Method expressions (T.m(x, a)) already pass x as an argument.
func Operands(info *types.Info, call *ast.CallExpr) []ast.Expr {
	args := call.Args
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			args = append([]ast.Expr{sel.X}, args...)
		}
	}
	return args
}

// LoopBody returns the body of a for or range statement, or nil.
func LoopBody(n ast.Node) *ast.BlockStmt {
	switch n := n.(type) {
	case *ast.ForStmt:
		return n.Body
	case *ast.RangeStmt:
		return n.Body
	}
	return nil
}

// StmtList returns the statements of a block, case clause or select clause,
// and false for any other node: the places where one statement follows
// another.
func StmtList(n ast.Node) ([]ast.Stmt, bool) {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List, true
	case *ast.CaseClause:
		return n.Body, true
	case *ast.CommClause:
		return n.Body, true
	}
	return nil, false
}

// EnclosingFunc returns the innermost function declaration or literal
// around cur (cur itself if it is one), or the zero Cursor at package level.
func EnclosingFunc(cur inspector.Cursor) inspector.Cursor {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return c
	}
	return inspector.Cursor{}
}

// RootVar returns the variable whose storage or pointee the path expression
// e reaches: v for v, v.f, v[i], v[i:j], *v, (v) and any chain of them, and
// the package variable for a qualified pkg.V. It returns nil when the root
// is not a variable (a call, a literal, a function or a constant). It is the
// one root walker of the rules: "is v written", "is v's address taken" and
// "does this read depend on v" all ask it.
func RootVar(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, _ := info.ObjectOf(x).(*types.Var)
			return v
		case *ast.SelectorExpr:
			if _, ok := info.Selections[x]; !ok {
				v, _ := info.ObjectOf(x.Sel).(*types.Var) // qualified pkg.V
				return v
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}
