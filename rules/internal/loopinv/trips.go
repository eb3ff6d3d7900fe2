package loopinv

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// ConstTrips returns the number of iterations of loop when it is a constant
// known at compile time: `for i := a; i < b; i++` (also <=, >, >=, --, and
// `+= 1`) with constant bounds, `for range n` with a constant n, or a range
// over an array or a constant string. loop is an *ast.ForStmt or
// *ast.RangeStmt.
func ConstTrips(info *types.Info, loop ast.Stmt) (int64, bool) {
	switch loop := loop.(type) {
	case *ast.RangeStmt:
		tv := info.Types[loop.X]
		if tv.Value != nil {
			switch tv.Value.Kind() {
			case constant.Int:
				return constant.Int64Val(tv.Value)
			case constant.String:
				return int64(len(constant.StringVal(tv.Value))), true // an upper bound: bytes, not runes
			}
			return 0, false
		}
		t := tv.Type
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		if a, ok := t.Underlying().(*types.Array); ok {
			return a.Len(), true
		}
		if lit, ok := ast.Unparen(loop.X).(*ast.CompositeLit); ok {
			return int64(len(lit.Elts)), true // slice literal: an upper bound without keys
		}
	case *ast.ForStmt:
		init, ok := loop.Init.(*ast.AssignStmt)
		if !ok || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
			return 0, false
		}
		id, ok := init.Lhs[0].(*ast.Ident)
		if !ok {
			return 0, false
		}
		v := info.ObjectOf(id)
		start := info.Types[init.Rhs[0]].Value
		cond, ok := loop.Cond.(*ast.BinaryExpr)
		if !ok || start == nil || v == nil {
			return 0, false
		}
		if cid, ok := ast.Unparen(cond.X).(*ast.Ident); !ok || info.ObjectOf(cid) != v {
			return 0, false
		}
		end := info.Types[cond.Y].Value
		if end == nil || start.Kind() != constant.Int || end.Kind() != constant.Int {
			return 0, false
		}
		step := int64(0)
		switch post := loop.Post.(type) {
		case *ast.IncDecStmt:
			step = 1
			if post.Tok == token.DEC {
				step = -1
			}
		case *ast.AssignStmt:
			if len(post.Rhs) == 1 {
				if c := info.Types[post.Rhs[0]].Value; c != nil && c.Kind() == constant.Int {
					n, _ := constant.Int64Val(c)
					switch post.Tok {
					case token.ADD_ASSIGN:
						step = n
					case token.SUB_ASSIGN:
						step = -n
					}
				}
			}
		}
		a, _ := constant.Int64Val(start)
		b, _ := constant.Int64Val(end)
		var n int64
		switch {
		case step > 0 && cond.Op == token.LSS:
			n = (b - a + step - 1) / step
		case step > 0 && cond.Op == token.LEQ:
			n = (b - a + step) / step
		case step < 0 && cond.Op == token.GTR:
			n = (a - b - step - 1) / -step
		case step < 0 && cond.Op == token.GEQ:
			n = (a - b - step) / -step
		default:
			return 0, false
		}
		// The body might also assign the index; then the count is unknown.
		assigned := false
		ast.Inspect(loop.Body, func(n ast.Node) bool {
			for _, lhs := range writtenExprs(n) {
				if x, ok := ast.Unparen(lhs).(*ast.Ident); ok && info.Uses[x] == v {
					assigned = true
				}
			}
			if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
				if x, ok := ast.Unparen(u.X).(*ast.Ident); ok && info.Uses[x] == v {
					assigned = true
				}
			}
			return !assigned
		})
		if assigned {
			return 0, false
		}
		return max(n, 0), true
	}
	return 0, false
}
