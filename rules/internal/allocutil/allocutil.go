// Package allocutil holds the syntactic and type helpers shared by advisor's
// allocation and lookup rules (prealloc, stringconcat, bufreuse,
// readallstream, linearsearch): deciding whether a variable is written
// inside a region, recognizing calls and constants, and the exits of a loop.
// Which loops enclose a node, and whether an expression is loop-invariant,
// are loopinv's questions. The helpers are deliberately conservative: when in doubt
// they answer the way that keeps a rule silent.
package allocutil

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// Within reports whether pos lies inside the source range of n.
func Within(n ast.Node, pos token.Pos) bool {
	return n != nil && n.Pos() <= pos && pos < n.End()
}

// LocalVar returns the local or package-level variable e denotes when e is a
// plain identifier, or nil (fields, constants and functions are not
// variables one can hoist or rebind).
func LocalVar(info *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok || v.IsField() {
		return nil
	}
	return v
}

// Uses returns the identifiers inside n that refer to obj.
func Uses(info *types.Info, obj types.Object, n ast.Node) []*ast.Ident {
	var ids []*ast.Ident
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && info.Uses[id] == obj {
			ids = append(ids, id)
		}
		return true
	})
	return ids
}

// Mutated reports whether obj may be written inside n: it is (the root of)
// the target of an assignment or ++/--, has its address taken, is the
// receiver of a pointer-method call, or is written inside a closure in n.
// A pointer-method call counts because it may change the variable in place.
func Mutated(info *types.Info, obj types.Object, n ast.Node) bool {
	if n == nil {
		return false
	}
	isObj := func(e ast.Expr) bool {
		v := astutil.RootVar(info, e)
		return v != nil && types.Object(v) == obj
	}
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found {
			return false
		}
		switch m := m.(type) {
		case *ast.AssignStmt:
			for _, lhs := range m.Lhs {
				if isObj(lhs) {
					found = true
				}
			}
		case *ast.IncDecStmt:
			found = isObj(m.X)
		case *ast.RangeStmt:
			if m.Tok == token.ASSIGN && (m.Key != nil && isObj(m.Key) || m.Value != nil && isObj(m.Value)) {
				found = true
			}
		case *ast.UnaryExpr:
			if m.Op == token.AND && isObj(m.X) {
				found = true
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(m.Fun).(*ast.SelectorExpr); ok && isObj(sel.X) {
				if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
					if sig, ok := s.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
						if _, ptr := sig.Recv().Type().Underlying().(*types.Pointer); ptr {
							found = true
						}
						// Methods reached through an interface may mutate anything.
						if types.IsInterface(sig.Recv().Type()) {
							found = true
						}
					}
				}
			}
		}
		return !found
	})
	return found
}

// IsFunc reports whether call statically calls the package-level function
// pkgPath.name for one of names (generic functions match by their origin).
func IsFunc(info *types.Info, call *ast.CallExpr, pkgPath string, names ...string) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != pkgPath {
		return false
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// IsBuiltin reports whether call calls the builtin function name.
func IsBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	b, ok := typeutil.Callee(info, call).(*types.Builtin)
	return ok && b.Name() == name
}

// ConstString returns the constant string value of e, if it has one.
func ConstString(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// ConstInt returns the constant integer value of e, if it has one that fits
// an int64.
func ConstInt(info *types.Info, e ast.Expr) (int64, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil {
		return 0, false
	}
	return constant.Int64Val(constant.ToInt(tv.Value))
}

// Simple reports whether e is a side-effect-free path expression (x, x.f,
// x.f.g, p.x) that can be evaluated again elsewhere with the same result.
func Simple(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return Simple(e.X)
	}
	return false
}

// HasLoopExit reports whether body contains a break or goto that leaves the
// loop owning body, or a return; labeled is the loop's label, if any.
// Breaks inside nested loops, switches and selects, and anything inside
// function literals, are not exits of this loop.
func HasLoopExit(body *ast.BlockStmt, label *ast.Ident) bool {
	return hasBranch(body, label, token.BREAK, true)
}

// HasContinue reports whether n (a statement of a loop body) contains a
// continue of the loop labeled label (or an unlabeled one not nested in an
// inner loop).
func HasContinue(n ast.Node, label *ast.Ident) bool {
	return hasBranch(n, label, token.CONTINUE, false)
}

func hasBranch(root ast.Node, label *ast.Ident, tok token.Token, withReturn bool) bool {
	found := false
	var walk func(n ast.Node, nestedBreak, nestedLoop bool)
	walk = func(n ast.Node, nestedBreak, nestedLoop bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if found || m == nil {
				return false
			}
			if m == n {
				return true
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if withReturn {
					found = true
				}
			case *ast.BranchStmt:
				switch {
				case m.Tok == token.GOTO && withReturn:
					found = true
				case m.Tok == tok && m.Label != nil:
					found = label != nil && m.Label.Name == label.Name
				case m.Tok == tok && m.Label == nil:
					if tok == token.BREAK {
						found = !nestedBreak
					} else {
						found = !nestedLoop
					}
				}
			case *ast.ForStmt, *ast.RangeStmt:
				walk(m, true, true)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(m, true, nestedLoop)
				return false
			}
			return true
		})
	}
	walk(root, false, false)
	return found
}

// LoopLabel returns the label of the loop at cur, if it is labeled.
func LoopLabel(cur inspector.Cursor) *ast.Ident {
	if l, ok := cur.Parent().Node().(*ast.LabeledStmt); ok {
		return l.Label
	}
	return nil
}

// Initializers maps each variable declared with an initializer in files
// (var v = e, v := e) to that expression.
func Initializers(files []*ast.File, info *types.Info) map[types.Object]ast.Expr {
	m := make(map[types.Object]ast.Expr)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i, name := range n.Names {
						if obj := info.Defs[name]; obj != nil {
							m[obj] = n.Values[i]
						}
					}
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					for i, lhs := range n.Lhs {
						if id, ok := lhs.(*ast.Ident); ok {
							if obj := info.Defs[id]; obj != nil {
								m[obj] = n.Rhs[i]
							}
						}
					}
				}
			}
			return true
		})
	}
	return m
}

// SmallLiteral reports whether e is a composite literal of at most max
// elements.
func SmallLiteral(e ast.Expr, max int) bool {
	if e == nil {
		return false
	}
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	return ok && len(lit.Elts) <= max
}

// Qualifier names packages other than pkg by their name, not their path,
// so that messages read like source code (ssa.Package, not
// golang.org/x/tools/go/ssa.Package).
func Qualifier(pkg *types.Package) types.Qualifier {
	return func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
}
