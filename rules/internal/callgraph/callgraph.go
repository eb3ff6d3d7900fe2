// Package callgraph provides an analysis pass that builds the static call
// graph of the functions and methods declared in one package, and finds its
// cycles, so that rules about recursion can tell a recursive call (direct, or
// through mutual recursion) from an ordinary one.
//
// Only static calls are edges: calls through interfaces or function values
// have no known callee. Calls inside function literals are left out, because
// when (and whether) a closure runs is not known from its position.
package callgraph

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	xastutil "golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// Analyzer builds a *Graph for the package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "callgraph",
	Doc:        "build the static call graph of a package's declared functions",
	Run:        run,
	ResultType: reflect.TypeFor[*Graph](),
}

// Graph is the static call graph of one package's declared functions.
type Graph struct {
	// Decls maps each declared function or method (with a body) to its declaration.
	Decls map[*types.Func]*ast.FuncDecl
	// Calls lists, per declared function, its static calls to functions of
	// the same package, in source order.
	Calls map[*types.Func][]Call
	// comp numbers the strongly connected components.
	comp map[*types.Func]int
	// selfLoop marks functions that call themselves directly.
	selfLoop map[*types.Func]bool
}

// Call is one static call site.
type Call struct {
	Callee *types.Func // the generic origin for instantiated functions
	Expr   *ast.CallExpr
}

// Recursive reports whether a call from caller to callee can lead back to
// caller: callee is caller itself, or both lie on one cycle of the graph.
func (g *Graph) Recursive(caller, callee *types.Func) bool {
	if caller == callee {
		return g.selfLoop[caller]
	}
	c1, ok1 := g.comp[caller]
	c2, ok2 := g.comp[callee]
	return ok1 && ok2 && c1 == c2
}

// Component returns an identifier of the cycle fn lies on with other
// functions, and false if it is on no such cycle.
func (g *Graph) Component(fn *types.Func) (int, bool) {
	c, ok := g.comp[fn]
	return c, ok
}

// Mutual reports whether fn is on a cycle through at least one other function.
func (g *Graph) Mutual(fn *types.Func) bool {
	_, ok := g.comp[fn] // only components of two or more are numbered
	return ok
}

func run(pass *analysis.Pass) (any, error) {
	return Build(pass.Files, pass.TypesInfo, pass.Pkg), nil
}

// Build computes the graph of pkg from its syntax and type information.
func Build(files []*ast.File, info *types.Info, pkg *types.Package) *Graph {
	g := &Graph{
		Decls:    make(map[*types.Func]*ast.FuncDecl),
		Calls:    make(map[*types.Func][]Call),
		comp:     make(map[*types.Func]int),
		selfLoop: make(map[*types.Func]bool),
	}
	var order []*types.Func
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, ok := info.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			g.Decls[fn] = fd
			order = append(order, fn)
		}
	}
	for _, fn := range order {
		ast.Inspect(g.Decls[fn].Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				callee := typeutil.StaticCallee(info, n)
				if callee == nil || callee.Pkg() != pkg {
					break
				}
				callee = callee.Origin()
				if _, ok := g.Decls[callee]; !ok {
					break
				}
				g.Calls[fn] = append(g.Calls[fn], Call{callee, n})
				if callee == fn {
					g.selfLoop[fn] = true
				}
			}
			return true
		})
	}
	g.tarjan(order)
	return g
}

// tarjan numbers the strongly connected components of size > 1 (a function
// alone in its component is recursive only through a self loop).
func (g *Graph) tarjan(order []*types.Func) {
	index := make(map[*types.Func]int)
	low := make(map[*types.Func]int)
	onStack := make(map[*types.Func]bool)
	var stack []*types.Func
	next, comps := 0, 0
	var visit func(v *types.Func)
	visit = func(v *types.Func) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, c := range g.Calls[v] {
			w := c.Callee
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var members []*types.Func
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			members = append(members, w)
			if w == v {
				break
			}
		}
		if len(members) > 1 {
			for _, m := range members {
				g.comp[m] = comps
			}
			comps++
		}
	}
	for _, v := range order {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
}

// Exclusive reports whether calls a and b (a before b in the source) cannot both execute in one
// activation: they are in different branches of an if, switch or select,
// or a sits in a block that ends by leaving the function before b is reached.
func Exclusive(file *ast.File, a, b *ast.CallExpr) bool {
	pa, _ := xastutil.PathEnclosingInterval(file, a.Pos(), a.End())
	pb, _ := xastutil.PathEnclosingInterval(file, b.Pos(), b.End())
	// Find the lowest common ancestor (paths run from the node to the file).
	inB := make(map[ast.Node]bool, len(pb))
	for _, n := range pb {
		inB[n] = true
	}
	lca := -1
	for i, n := range pa {
		if inB[n] {
			lca = i
			break
		}
	}
	if lca <= 0 {
		return false
	}
	ca := pa[lca-1]
	var cb ast.Node
	for i, n := range pb {
		if n == pa[lca] && i > 0 {
			cb = pb[i-1]
		}
	}
	switch n := pa[lca].(type) {
	case *ast.IfStmt:
		// The condition runs before either branch: only Body vs Else.
		return (ca == n.Body && cb == n.Else) || (ca == n.Else && cb == n.Body)
	case *ast.BlockStmt:
		// The body of a switch or select: different clauses.
		if lca+1 < len(pa) {
			switch pa[lca+1].(type) {
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				return ca != cb
			}
		}
	}
	// a leaves the function if some block between a and the LCA ends in
	// a terminating statement.
	for i := 0; i < lca; i++ {
		list, ok := astutil.StmtList(pa[i])
		if !ok {
			continue
		}
		if len(list) > 0 && terminates(list[len(list)-1]) {
			return true
		}
	}
	// a in the condition of an if whose body returns does not make b
	// exclusive, but a inside a return statement does.
	for i := 0; i < lca; i++ {
		if _, ok := pa[i].(*ast.ReturnStmt); ok {
			return true
		}
	}
	return false
}

func terminates(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}
