package lint

import (
	"go/ast"
	"go/types"
)

// perItemRules are the rules whose waste is a fixed cost per iteration of
// one loop (a slice's growth, an allocation, a recomputation): it is worth
// a change when that loop itself runs again and again. One run of such a
// loop costs little (growth is at most log2(n) allocations); quadratic
// shapes (stringconcat, linearsearch) and I/O are left out: one run of
// those over a large input is already slow.
var perItemRules = map[string]bool{"prealloc": true, "bufreuse": true, "hoistpure": true, "sprintfconv": true}

// perCallRules waste a fixed cost per call of their function (two lowered
// copies of a string): worth a change when the function runs again and
// again. (lookuponce, a second map lookup, is hidden as HiddenMicro
// before this walk.)
var perCallRules = map[string]bool{"equalfold": true}

// ownLoops is how many loops around its finding a rule's shape itself
// needs: one for the per-item rules, none for the per-call ones.
func ownLoops(rule string) (int, bool) {
	switch {
	case perItemRules[rule]:
		return 1, true
	case perCallRules[rule]:
		return 0, true
	}
	return 0, false
}

// repeated reports whether the code at path[0] (as
// astutil.PathEnclosingInterval returns it) visibly runs again and again,
// beyond the own loops around it that its rule's shape needs: it is inside
// one more loop, or sits in a
// function literal that is handed on (a callback), or in a function that is
// recursive, used as a value, called inside a loop, or (up to maxColdDepth
// callers up) called from a function that is itself repeated. Calls from
// other packages cannot be seen: an exported function the package calls
// only once per call of its own callers is not repeated. What the walk
// cannot follow (too many call sites) counts as repeated.
func (c *callers) repeated(path []ast.Node, own int) bool {
	loops := 0
	for i, n := range path {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if loops++; loops > own {
				return true
			}
		case *ast.FuncLit:
			if call, ok := parentOf(path, i).(*ast.CallExpr); !ok || ast.Unparen(call.Fun) != n {
				return true
			}
		case *ast.FuncDecl:
			return c.repeatedFunc(n, 0, map[*types.Func]bool{})
		}
	}
	return false // a package-level initializer runs once
}

// repeatedFunc reports whether the function declared by decl runs again
// and again, as far as its package shows (see repeated).
func (c *callers) repeatedFunc(decl *ast.FuncDecl, depth int, visiting map[*types.Func]bool) bool {
	fn, _ := c.pkg.TypesInfo.Defs[decl.Name].(*types.Func)
	switch {
	case fn == nil:
		return true
	case decl.Recv == nil && (decl.Name.Name == "main" || decl.Name.Name == "init"):
		return false
	case depth > maxColdDepth, visiting[fn]: // too far up to see; a cycle of calls is recursion
		return true
	}
	visiting[fn] = true
	defer delete(visiting, fn)
	refs := c.funcs[fn]
	if decl.Recv != nil {
		// Any call of a method of that name, of any type or interface:
		// dynamic calls cannot be told apart, so each counts.
		refs = c.methodCalls[fn.Name()]
	}
	for _, id := range refs {
		if c.steps++; c.steps > maxColdSteps {
			return true
		}
		if inDecl(decl, id) {
			return true // recursion
		}
		path, call := c.site(id)
		if call == nil {
			return true // a function value: it may run anywhere, any number of times
		}
		if reportingArg(c.pkg.TypesInfo, path, call) {
			continue // building an error or log message is no repetition of the work
		}
		if c.repeated(path[1:], 0) {
			return true
		}
	}
	return false
}
