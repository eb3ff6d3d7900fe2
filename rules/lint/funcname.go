package lint

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// funcNames maps positions of one package to the names its functions get in
// the compiled binary, which are the names pprof shows: "main.fib",
// "example.com/p.(*T).M", "p.G[...].M", "main.main.func1" (closures, numbered
// per enclosing function in source order), "main.main-range1" (bodies of
// range-over-func loops), "p.init.0" (init functions) and "p.init.func1"
// (closures in package-level initializers). The names are those of code
// built without inlining; an inlined closure's frames can carry a longer
// compiler-generated name.
type funcNames struct {
	scopes map[*token.File][]scope
}

// scope is a source range that belongs to one function name.
type scope struct {
	pos, end token.Pos
	name     string
}

// newFuncNames computes the function scopes of the files of the package
// with the given import path and name, in the order the go command passes
// them to the compiler. info may be nil (a package that did not type-check).
func newFuncNames(fset *token.FileSet, path, name string, info *types.Info, files []*ast.File) *funcNames {
	prefix := pathPrefix(path, name)
	n := &funcNames{scopes: make(map[*token.File][]scope)}
	initFn := &namer{name: prefix + ".init"} // closures in package-level initializers
	inits := 0
	for _, f := range files {
		tf := fset.File(f.Pos())
		if tf == nil {
			continue
		}
		add := func(s scope) { n.scopes[tf] = append(n.scopes[tf], s) }
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name := prefix + "." + declName(d, info)
				if d.Recv == nil && d.Name.Name == "init" {
					name = fmt.Sprintf("%s.init.%d", prefix, inits)
					inits++
				}
				add(scope{d.Pos(), d.End(), name})
				if d.Body != nil {
					(&namer{name: name}).walk(d.Body, info, add)
				}
			case *ast.GenDecl:
				initFn.walk(d, info, add)
			}
		}
	}
	return n
}

// at returns the name of the innermost function containing pos, or "" when
// pos is outside every function (e.g. a package-level declaration).
func (n *funcNames) at(fset *token.FileSet, pos token.Pos) string {
	best := scope{}
	for _, s := range n.scopes[fset.File(pos)] {
		if s.pos <= pos && pos < s.end && (best.name == "" || s.pos >= best.pos && s.end <= best.end) {
			best = s
		}
	}
	return best.name
}

// namer names the closures and range-over-func bodies of one function; the
// compiler numbers each kind separately, in source order.
type namer struct {
	name           string
	closure        bool // a function literal: nested closures are numbered without "func"
	closures, rngs int
}

// walk names the function literals and range-over-func bodies under root.
func (nm *namer) walk(root ast.Node, info *types.Info, add func(scope)) {
	ast.Inspect(root, func(node ast.Node) bool {
		switch node := node.(type) {
		case *ast.FuncLit:
			nm.closures++
			inner := &namer{name: fmt.Sprintf("%s.func%d", nm.name, nm.closures), closure: true}
			if nm.closure {
				// main.main.func2.1, main.main.func2.2.1
				inner.name = fmt.Sprintf("%s.%d", nm.name, nm.closures)
			}
			add(scope{node.Pos(), node.End(), inner.name})
			inner.walk(node.Body, info, add)
			return false
		case *ast.RangeStmt:
			if isFuncRange(info, node) {
				nm.rngs++
				// The body becomes a closure named after the function,
				// but closures inside it still count in the function.
				add(scope{node.Body.Pos(), node.Body.End(), fmt.Sprintf("%s-range%d", nm.name, nm.rngs)})
			}
		}
		return true
	})
}

// isFuncRange reports whether rs ranges over an iterator function.
func isFuncRange(info *types.Info, rs *ast.RangeStmt) bool {
	if info == nil || info.Types == nil {
		return false
	}
	t := info.TypeOf(rs.X)
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// declName is the name of a function declaration within its package:
// "f", "F[...]", "T.M", "(*T).M", "(*G[...]).M".
func declName(d *ast.FuncDecl, info *types.Info) string {
	name := d.Name.Name
	if d.Recv == nil || len(d.Recv.List) == 0 {
		if d.Type.TypeParams != nil && d.Type.TypeParams.NumFields() > 0 {
			name += "[...]"
		}
		return name
	}
	t := d.Recv.List[0].Type
	ptr := false
	if p, ok := t.(*ast.ParenExpr); ok {
		t = p.X
	}
	if s, ok := t.(*ast.StarExpr); ok {
		ptr, t = true, s.X
	}
	recv := ""
	switch t := t.(type) {
	case *ast.Ident:
		recv = t.Name
	case *ast.IndexExpr:
		recv = exprName(t.X) + "[...]"
	case *ast.IndexListExpr:
		recv = exprName(t.X) + "[...]"
	default:
		recv = exprName(t)
	}
	if ptr {
		return "(*" + recv + ")." + name
	}
	return recv + "." + name
}

func exprName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "?"
}

// pathPrefix is the package's symbol prefix in the linked binary: "main"
// for a main package, else the import path with the linker's escaping
// (cmd/internal/objabi.PathToPrefix: '.' in the last element, '%', '"',
// spaces, control and non-ASCII bytes become %xx).
func pathPrefix(path, name string) string {
	if name == "main" {
		return "main"
	}
	s := path
	slash := strings.LastIndex(s, "/")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || (c == '.' && i > slash) || c == '%' || c == '"' || c >= 0x7F {
			fmt.Fprintf(&b, "%%%02x", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
