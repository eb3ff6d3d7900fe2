package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// pureStd lists standard packages whose package-level functions are pure.
var pureStd = map[string]bool{
	"math": true, "math/bits": true, "strconv": true, "strings": true,
	"unicode": true, "unicode/utf8": true,
}

// pureBuiltins are the builtins that neither block nor write memory they
// were handed.
var pureBuiltins = map[string]bool{
	"append": true, "cap": true, "complex": true, "imag": true, "len": true, "make": true,
	"max": true, "min": true, "new": true, "panic": true, "real": true,
}

// Pure reports whether fn is a function of p whose only effect is its
// result: it writes no variable but its own locals (and memory it
// allocated itself), does no I/O, touches no channel, starts no goroutine,
// and calls only functions that are pure in the same sense. With strict it
// must also not read package-level variables, so that its result depends
// on its arguments alone (required for memoization).
func Pure(p *Package, fn *types.Func, strict bool) bool {
	return p.pure(fn, strict, map[*types.Func]bool{})
}

func (p *Package) pure(fn *types.Func, strict bool, seen map[*types.Func]bool) bool {
	if fn.Pkg() != p.Types {
		return fn.Pkg() != nil && pureStd[fn.Pkg().Path()] && fn.Signature().Recv() == nil
	}
	if ok, done := seen[fn]; done {
		return ok // recursion: assume pure, the other checks decide
	}
	seen[fn] = true
	fd := p.funcDecl(fn)
	ok := fd != nil && fd.Recv == nil && fd.Body != nil && p.bodyPure(fd, fd.Body, strict, true, seen)
	seen[fn] = ok
	return ok
}

// funcDecl finds the declaration of fn in p.
func (p *Package) funcDecl(fn *types.Func) *ast.FuncDecl {
	for _, f := range p.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && p.Info.Defs[fd.Name] == fn {
				return fd
			}
		}
	}
	return nil
}

// bodyPure checks body, part of the function scope (a FuncDecl, or a loop
// body standing for one iteration): writes must go to variables declared
// in scope, through memory scope allocated, and calls to pure functions.
// Without checkWrites only the calls and blocking operations are checked
// (the caller vetted the writes).
func (p *Package) bodyPure(scope ast.Node, body ast.Node, strict, checkWrites bool, seen map[*types.Func]bool) bool {
	owned := ownedVars(p.Info, body)
	ok := true
	write := func(e ast.Expr) {
		if !checkWrites {
			return
		}
		v := astutil.RootVar(p.Info, e)
		if v == nil || !declaredIn(v, scope) {
			ok = false
			return
		}
		if _, plain := ast.Unparen(e).(*ast.Ident); !plain && !owned[v] {
			ok = false // writes through a slice, map or pointer it did not allocate
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt, *ast.DeferStmt, *ast.SelectStmt, *ast.SendStmt, *ast.FuncLit:
			ok = false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false
			}
			if n.Op == token.AND {
				write(n.X)
			}
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					write(l)
				}
			}
		case *ast.IncDecStmt:
			write(n.X)
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				write(n.Key)
				if n.Value != nil {
					write(n.Value)
				}
			}
			if _, isChan := p.Info.TypeOf(n.X).Underlying().(*types.Chan); isChan {
				ok = false
			}
		case *ast.Ident:
			if v, isVar := p.Info.Uses[n].(*types.Var); isVar && strict && v.Parent() == p.Types.Scope() {
				ok = false // reads package state
			}
		case *ast.CallExpr:
			if tv, isConv := p.Info.Types[n.Fun]; isConv && tv.IsType() {
				return true
			}
			switch obj := calleeObj(p.Info, n).(type) {
			case *types.Builtin:
				ok = pureBuiltins[obj.Name()]
			case *types.Func:
				ok = obj.Signature().Recv() == nil && p.pure(obj, strict, seen)
				if !ok {
					return false
				}
			default:
				ok = false
			}
		}
		return ok
	})
	return ok
}

// ownedVars returns the variables declared in n whose memory n allocated:
// initialized by make, new, a composite literal, or declared without a value
// of a non-reference type.
func ownedVars(info *types.Info, n ast.Node) map[*types.Var]bool {
	owned := map[*types.Var]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE || len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, l := range n.Lhs {
				id, _ := l.(*ast.Ident)
				if id == nil || !allocates(info, n.Rhs[i]) {
					continue
				}
				if v, ok := info.Defs[id].(*types.Var); ok {
					owned[v] = true
				}
			}
		case *ast.ValueSpec:
			if len(n.Values) != 0 {
				return true
			}
			for _, id := range n.Names {
				if v, ok := info.Defs[id].(*types.Var); ok && valueType(v.Type()) {
					owned[v] = true
				}
			}
		}
		return true
	})
	return owned
}

// allocates reports whether e is make(...), new(...) or a composite literal.
func allocates(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.CallExpr:
		b, ok := calleeObj(info, e).(*types.Builtin)
		return ok && (b.Name() == "make" || b.Name() == "new")
	}
	return false
}

// valueType reports whether t holds no references (arrays and structs of
// basic values).
func valueType(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return t.Kind() != types.UnsafePointer
	case *types.Array:
		return valueType(t.Elem())
	case *types.Struct:
		for f := range t.Fields() {
			if !valueType(f.Type()) {
				return false
			}
		}
		return true
	}
	return false
}
