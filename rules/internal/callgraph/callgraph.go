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
	"golang.org/x/tools/go/types/typeutil"
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

// Mutual reports whether fn is on a cycle through at least one other function.
func (g *Graph) Mutual(fn *types.Func) bool {
	for other, c := range g.comp {
		if other != fn && c == g.comp[fn] {
			return true
		}
	}
	return false
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
