package lint

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"
)

// callers answers whether a function of a package is called only from
// places whose findings are hidden anyway.
type callers struct {
	pkg   *packages.Package
	funcs map[*types.Func][]*ast.Ident // function -> the identifiers that refer to it
	names map[string][]*ast.Ident      // unexported method name -> the identifiers that name any such method
	// methodCalls: method name -> the identifiers that name a method of
	// that name, of any type or interface of any package (for repeated).
	methodCalls map[string][]*ast.Ident
	files       map[*token.File]*ast.File
	steps       int // sites examined, bounded by maxColdSteps
}

// maxColdDepth bounds how many callers up cold follows; maxColdSteps how
// many call sites it reads in all. Past either, a function counts as hot.
const (
	maxColdDepth = 4
	maxColdSteps = 400
)

func newCallers(pkg *packages.Package) *callers {
	c := &callers{pkg: pkg, funcs: map[*types.Func][]*ast.Ident{}, names: map[string][]*ast.Ident{}, methodCalls: map[string][]*ast.Ident{}, files: map[*token.File]*ast.File{}}
	for _, f := range pkg.Syntax {
		c.files[pkg.Fset.File(f.FileStart)] = f
	}
	for id, obj := range pkg.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		// References from tests are left out: the package and its test
		// variant must agree, and a function only tests call is either
		// dead or a test helper.
		if strings.HasSuffix(pkg.Fset.File(id.Pos()).Name(), "_test.go") {
			continue
		}
		if fn.Signature().Recv() != nil {
			c.methodCalls[fn.Name()] = append(c.methodCalls[fn.Name()], id)
		}
		if fn.Pkg() != pkg.Types {
			continue
		}
		fn = fn.Origin()
		if fn.Signature().Recv() != nil {
			c.names[fn.Name()] = append(c.names[fn.Name()], id)
		} else {
			c.funcs[fn] = append(c.funcs[fn], id)
		}
	}
	return c
}

// cold reports whether the function declared by decl is called only from
// places whose findings are hidden (String methods, debug output, error
// paths, init, the arguments of an error or log call), directly or through
// functions that are themselves called only from there. It must be
// unexported (an exported one has callers the package cannot see), not
// linknamed, and called at least once; a reference that is not a call (a
// function value, which may run anywhere) makes it hot. A call from the
// function itself, or from a function on the way, says nothing either way.
func (c *callers) cold(decl *ast.FuncDecl, depth int) bool {
	return c.coldFunc(decl, depth, map[*types.Func]bool{})
}

func (c *callers) coldFunc(decl *ast.FuncDecl, depth int, visiting map[*types.Func]bool) bool {
	info := c.pkg.TypesInfo
	fn, _ := info.Defs[decl.Name].(*types.Func)
	if fn == nil || fn.Exported() || decl.Name.Name == "init" || decl.Name.Name == "main" || depth > maxColdDepth || linknamed(c.files[c.pkg.Fset.File(decl.Pos())], fn.Name()) {
		return false
	}
	if visiting[fn] {
		return true
	}
	visiting[fn] = true
	defer delete(visiting, fn)
	refs := c.funcs[fn]
	if decl.Recv != nil {
		refs = c.names[fn.Name()]
	}
	calls := 0
	for _, id := range refs {
		if c.steps++; c.steps > maxColdSteps {
			return false
		}
		if inDecl(decl, id) && decl.Recv == nil {
			continue // recursion
		}
		path, call := c.site(id)
		if call == nil {
			return false // a function value: it may run anywhere
		}
		calls++
		if reportingArg(info, path, call) {
			continue
		}
		pl := placeOf(info, path)
		switch {
		case pl.reason != "":
			continue
		case pl.fn == nil || !pl.calledNow:
			return false
		case pl.fn == decl:
			continue // recursion through a method value of the same name
		case !c.coldFunc(pl.fn, depth+1, visiting):
			return false
		}
	}
	return calls > 0
}

// site returns the syntax enclosing the reference id (as
// astutil.PathEnclosingInterval returns it) and the call of which id is
// the function, nil when id is not called there (a function value) or its
// file is not among the package's.
func (c *callers) site(id *ast.Ident) ([]ast.Node, *ast.CallExpr) {
	f := c.files[c.pkg.Fset.File(id.Pos())]
	if f == nil {
		return nil, nil
	}
	path, _ := astutil.PathEnclosingInterval(f, id.Pos(), id.End())
	return path, callOf(path, id)
}

func inDecl(decl *ast.FuncDecl, id *ast.Ident) bool {
	return decl.Pos() <= id.Pos() && id.End() <= decl.End()
}

// callOf returns the call whose function is the identifier id (f(...),
// x.m(...), pkg-qualified or through parentheses), or nil.
func callOf(path []ast.Node, id *ast.Ident) *ast.CallExpr {
	var fun ast.Node = id
	for _, n := range path[1:] {
		switch n := n.(type) {
		case *ast.ParenExpr:
			fun = n
			continue
		case *ast.SelectorExpr:
			if n.Sel == id {
				fun = n
				continue
			}
		case *ast.IndexExpr, *ast.IndexListExpr: // f[T](...)
			fun = n
			continue
		case *ast.CallExpr:
			if n.Fun == fun {
				return n
			}
		}
		return nil
	}
	return nil
}

// reportingArg reports whether call sits among the arguments of a call
// that reports an error or logs (fmt.Errorf, log.Printf, t.Errorf, panic,
// a logger's Warn or Debug, go/types' check.errorf and check.trace): the
// text is built when something is printed, not on the program's work.
func reportingArg(info *types.Info, path []ast.Node, call *ast.CallExpr) bool {
	for i, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.CallExpr:
			if n == call || i == 0 || ast.Node(n.Fun) == path[i-1] {
				continue
			}
			if loopinv.Reporting(info, n) || reportingMethod(info, n) {
				return true
			}
		}
	}
	return false
}

// reportingMethod recognizes the unexported reporting methods packages
// write for themselves: errorf, warnf, tracef, trace, debugf, logf.
func reportingMethod(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Signature().Recv() == nil {
		return false
	}
	switch strings.TrimSuffix(strings.ToLower(fn.Name()), "f") {
	case "error", "softerror", "warn", "trace", "debug", "log", "fatal", "panic":
		return true
	}
	// Any method of a type that builds an error (go/types' error_.addf,
	// a multiError's add): what it is given is error text.
	recv := fn.Signature().Recv().Type()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	if named, ok := recv.(*types.Named); ok {
		n := strings.ToLower(strings.Trim(named.Obj().Name(), "_"))
		return strings.HasSuffix(n, "error") || strings.HasSuffix(n, "errors")
	}
	return false
}

// linknamed reports whether file has a //go:linkname directive for name:
// other packages may call it by its symbol.
func linknamed(file *ast.File, name string) bool {
	if file == nil {
		return true
	}
	for _, g := range file.Comments {
		for _, c := range g.List {
			if rest, ok := strings.CutPrefix(c.Text, "//go:linkname "); ok {
				if f := strings.Fields(rest); len(f) > 0 && f[0] == name {
					return true
				}
			}
		}
	}
	return false
}
