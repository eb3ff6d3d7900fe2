package loopdep

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// maxDepth bounds how deep summaries follow calls into the package's
// functions; deeper calls count as having no effects.
const maxDepth = 6

// summary is what a function of the package does that matters to a loop
// calling it, directly or through the package's functions it calls.
type summary struct {
	global *types.Var          // a package variable it writes (nil if none)
	output string              // a call that prints to standard output or error
	exit   string              // a call that ends the program
	send   string              // a package-level channel it sends on
	spawns bool                // it starts goroutines
	params map[*types.Var]bool // parameters (and receiver) it writes through
}

// summary returns fn's summary, computing it on first use. A recursive
// call sees the summary as far as it is computed.
func (a *Analyzer) summary(fn *types.Func, depth int) *summary {
	if s, ok := a.summaries[fn]; ok {
		return s
	}
	s := &summary{params: map[*types.Var]bool{}}
	a.summaries[fn] = s
	fd := a.decls[fn]
	if fd == nil || depth > maxDepth {
		return s
	}
	params := map[*types.Var]bool{}
	for _, p := range paramList(fn) {
		params[p] = true
	}
	info := a.info
	// root returns the variable at the base of e, nil if none.
	root := func(e ast.Expr) *types.Var {
		for {
			switch x := ast.Unparen(e).(type) {
			case *ast.Ident:
				v, _ := info.ObjectOf(x).(*types.Var)
				return v
			case *ast.IndexExpr:
				e = x.X
			case *ast.SliceExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.UnaryExpr:
				e = x.X
			case *ast.SelectorExpr:
				if sel := info.Selections[x]; sel == nil {
					v, _ := info.Uses[x.Sel].(*types.Var)
					return v
				} else if sel.Kind() != types.FieldVal {
					return nil
				}
				e = x.X
			default:
				return nil
			}
		}
	}
	write := func(lhs ast.Expr) {
		v := root(lhs)
		if v == nil {
			return
		}
		_, bare := ast.Unparen(lhs).(*ast.Ident)
		switch {
		case astutil.PackageLevel(v) || (v.Pkg() != nil && v.Pkg() != a.pkg && !v.IsField()):
			if s.global == nil {
				s.global = v
			}
		case params[v] && !bare:
			s.params[v] = true
		}
	}
	// passed records that operand e goes to a callee that may change it.
	passed := func(e ast.Expr) {
		v := root(e)
		if v == nil {
			return
		}
		t := info.TypeOf(e)
		if t == nil || safeTypes[typeName(t)] {
			return
		}
		_, addr := ast.Unparen(e).(*ast.UnaryExpr)
		if !addr && !refersToMemory(t) && !types.IsInterface(t) {
			return
		}
		if params[v] {
			s.params[v] = true
		} else if astutil.PackageLevel(v) && s.global == nil {
			s.global = v
		}
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			s.spawns = true
			return false
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					write(l)
				}
			}
		case *ast.IncDecStmt:
			write(n.X)
		case *ast.SendStmt:
			if v := root(n.Chan); v != nil && astutil.PackageLevel(v) && s.send == "" {
				s.send = v.Name()
			}
		case *ast.CallExpr:
			a.summarizeCall(s, n, depth, params, passed)
		}
		return true
	})
	return s
}

// summarizeCall adds the effects of one call in a summarized function.
func (a *Analyzer) summarizeCall(s *summary, call *ast.CallExpr, depth int, params map[*types.Var]bool, passed func(ast.Expr)) {
	info := a.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			switch b.Name() {
			case "copy", "delete", "clear":
				if len(call.Args) > 0 {
					passed(call.Args[0])
				}
			case "panic":
				if s.exit == "" {
					s.exit = "panic"
				}
			case "print", "println":
				if s.output == "" {
					s.output = b.Name()
				}
			}
			return
		}
	}
	name := types.ExprString(call.Fun)
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	ops := astutil.Operands(info, call)
	if fn == nil {
		for _, e := range ops {
			passed(e)
		}
		return
	}
	if fn.Name() == "Go" && fn.Signature().Recv() != nil {
		s.spawns = true
		return
	}
	if fn.Pkg() == a.pkg && a.decls[fn.Origin()] != nil {
		sub := a.summary(fn.Origin(), depth+1)
		if s.global == nil {
			s.global = sub.global
		}
		s.output = cmpOr(s.output, sub.output)
		s.exit = cmpOr(s.exit, sub.exit)
		s.send = cmpOr(s.send, sub.send)
		s.spawns = s.spawns || sub.spawns
		ps := paramList(fn.Origin())
		for i, e := range ops {
			if p := paramAt(ps, i); p != nil && sub.params[p] {
				if isStdStream(info, e) {
					s.output = cmpOr(s.output, name)
				} else {
					passed(e)
				}
			}
		}
		return
	}
	switch kindOf(fn) {
	case exitCall:
		s.exit = cmpOr(s.exit, name)
		return
	case printCall:
		s.output = cmpOr(s.output, name)
		return
	case fprintCall:
		if len(call.Args) > 0 {
			if isStdStream(info, call.Args[0]) {
				s.output = cmpOr(s.output, name)
			} else {
				passed(call.Args[0])
			}
		}
		return
	}
	if pureFunc(fn) || ioCalls[fn.FullName()] {
		return
	}
	isMethod := fn.Signature().Recv() != nil && isMethodCall(info, call)
	for i, e := range ops {
		if isStdStream(info, e) {
			s.output = cmpOr(s.output, name)
			continue
		}
		recv := isMethod && i == 0
		if recv {
			if _, ptr := fn.Signature().Recv().Type().(*types.Pointer); !ptr && !types.IsInterface(fn.Signature().Recv().Type()) {
				continue // a value receiver cannot be changed
			}
			if fn.Name() == "Error" || fn.Name() == "String" {
				continue
			}
			if v, ok := ast.Unparen(e).(*ast.Ident); ok {
				if obj, _ := info.Uses[v].(*types.Var); obj != nil && (params[obj] || astutil.PackageLevel(obj)) && !safeTypes[typeName(obj.Type())] {
					if params[obj] {
						s.params[obj] = true
					} else if s.global == nil {
						s.global = obj
					}
				}
				continue
			}
		}
		if _, addr := ast.Unparen(e).(*ast.UnaryExpr); !addr && readOnly(fn) {
			continue
		}
		if isBytes(info.TypeOf(e)) && readsInto(fn) {
			continue
		}
		passed(e)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
