package loopinv

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
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

// Repeats reports whether the loop exists to do the same work several
// times: a benchmark loop (`for i := 0; i < b.N; i++`, `for range b.N`,
// `for b.Loop()`, `for pb.Next()`), or a counted loop whose body never uses
// its index (`for i := 0; i < n; i++` with i unused, `for range n`). Such
// loops repeat on purpose (to measure, to stress, to open n connections), so
// work in them is not accidentally loop-invariant.
func Repeats(info *types.Info, loop ast.Stmt) bool {
	switch loop := loop.(type) {
	case *ast.ForStmt:
		if loop.Cond == nil {
			return false
		}
		if call, ok := ast.Unparen(loop.Cond).(*ast.CallExpr); ok {
			if fn, ok := calleeName(info, call); ok {
				switch fn {
				case "(*testing.B).Loop", "(*testing.PB).Next":
					return true
				}
			}
		}
		init, ok := loop.Init.(*ast.AssignStmt)
		if !ok || len(init.Lhs) != 1 {
			return false
		}
		id, ok := init.Lhs[0].(*ast.Ident)
		if !ok {
			return false
		}
		v := info.Defs[id]
		if v == nil {
			return false
		}
		if cond, ok := loop.Cond.(*ast.BinaryExpr); ok && isBN(info, cond.Y) {
			return true
		}
		return !uses(info, loop.Body, v)
	case *ast.RangeStmt:
		if b, ok := info.TypeOf(loop.X).Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
			return false
		}
		if isBN(info, loop.X) || loop.Key == nil {
			return true
		}
		if id, ok := loop.Key.(*ast.Ident); ok {
			if v := info.Defs[id]; v != nil {
				return !uses(info, loop.Body, v)
			}
			return id.Name == "_"
		}
	}
	return false
}

// isBN reports whether e is b.N for a *testing.B.
func isBN(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "N" {
		return false
	}
	t := info.TypeOf(sel.X)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "testing" && n.Obj().Name() == "B"
}

func calleeName(info *types.Info, call *ast.CallExpr) (string, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok {
		return "", false
	}
	return fn.FullName(), true
}

// uses reports whether n refers to obj outside the arguments of Reporting
// calls: an index printed only in a failure message does not make the
// iterations differ.
func uses(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.CallExpr:
			if Reporting(info, x) {
				return false
			}
		case *ast.Ident:
			if info.Uses[x] == obj {
				found = true
			}
		}
		return !found
	})
	return found
}

// Reporting reports whether call only reports or formats a diagnostic:
// methods of testing.T, B, F, TB and their common base, fmt.Errorf, the log
// and log/slog functions, panic, and any method named like a test or logger
// report (Errorf, Fatal, Logf, Warnf, Debug, ...: test helpers and logging
// libraries). Work in their arguments runs on error or logging paths, not as
// a program's repeated work. Matching on method names only ever silences a
// finding, never creates one.
func Reporting(info *types.Info, call *ast.CallExpr) bool {
	switch fn := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return fn.Name() == "panic"
	case *types.Func:
		if fn.Pkg() == nil {
			return false
		}
		switch fn.Pkg().Path() {
		case "fmt":
			return fn.Name() == "Errorf" // Print and Sprint are program output
		case "log", "log/slog":
			return true
		case "testing":
			return fn.Signature().Recv() != nil
		}
		if fn.Signature().Recv() != nil {
			switch strings.TrimSuffix(strings.TrimSuffix(fn.Name(), "f"), "ln") {
			case "Error", "Fatal", "Log", "Skip", "Print", "Panic", "Warn", "Warning", "Info", "Debug":
				return true
			}
		}
	}
	return false
}
