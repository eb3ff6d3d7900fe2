package linearsearch

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/allocutil"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"

	"github.com/advisor-dev/advisor/rules/internal/astutil"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
)

//go:embed doc.go
var doc string

// Analyzer reports linear searches nested in loops over collections.
var Analyzer = &analysis.Analyzer{
	Name:     "linearsearch",
	Doc:      ruledoc.Extract(doc, "linearsearch"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/linearsearch",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// smallSet is the largest literal collection left alone: a few comparisons
// are cheaper than hashing.
const smallSet = 8

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	var inits map[types.Object]ast.Expr // built on first need
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil), (*ast.RangeStmt)(nil)) {
		var hay, needle ast.Expr
		var key types.Type
		var how, value string // value: the map's value type
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			if !allocutil.IsFunc(info, n, "slices", "Contains", "Index") || len(n.Args) != 2 {
				continue
			}
			hay, needle = n.Args[0], n.Args[1]
			if sl, ok := info.TypeOf(hay).Underlying().(*types.Slice); ok {
				key = sl.Elem()
			}
			how = "slices." + typeutil.Callee(info, n).Name()
			value = "struct{}"
			if how == "slices.Index" {
				value = "int" // the position is wanted, not just membership
			}
		case *ast.RangeStmt:
			var ok bool
			var elem types.Type
			hay, needle, key, elem, ok = innerSearch(info, n)
			if !ok {
				continue
			}
			how = "an inner loop"
			value = "struct{}"
			if elem != nil {
				value = types.TypeString(elem, allocutil.Qualifier(pass.Pkg)) // the match itself is used
			}
		}
		outer, ok := loopinv.Innermost(cur)
		if !ok || !overCollection(info, outer.Node()) || !dependsOn(info, needle, outer.Node()) {
			continue
		}
		if !searchable(info, hay, key, outer.Node()) {
			continue
		}
		if inits == nil {
			inits = allocutil.Initializers(pass.Files, info)
		}
		if tiny(info, hay, inits) || overSmallLiteral(info, outer.Node(), inits) || variadic(info, cur, hay) {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:      cur.Node().Pos(),
			End:      cur.Node().End(),
			Category: "set",
			Message: fmt.Sprintf("linear search of %s (%s) on every iteration of a loop; build a map[%s]%s from it once before the loop",
				types.ExprString(hay), how, types.TypeString(types.Default(key), allocutil.Qualifier(pass.Pkg)), value),
		})
	}
	return nil, nil
}

// innerSearch matches `for _, b := range B { if b == x { ...; break } }`
// (also b.f == x, x == b, and an if body ending in return or a labeled
// continue) and returns B, x, the compared type, and the element type when
// the if body uses the matched element or its index (nil otherwise).
func innerSearch(info *types.Info, rng *ast.RangeStmt) (hay, needle ast.Expr, key, elem types.Type, ok bool) {
	val, isID := rng.Value.(*ast.Ident)
	if !isID || rng.Tok != token.DEFINE || len(rng.Body.List) != 1 {
		return nil, nil, nil, nil, false
	}
	b, isVar := info.Defs[val].(*types.Var)
	if !isVar {
		return nil, nil, nil, nil, false
	}
	ifs, isIf := rng.Body.List[0].(*ast.IfStmt)
	if !isIf || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) == 0 {
		return nil, nil, nil, nil, false
	}
	switch last := ifs.Body.List[len(ifs.Body.List)-1].(type) {
	case *ast.ReturnStmt:
	case *ast.BranchStmt:
		if !(last.Tok == token.BREAK && last.Label == nil) && !(last.Tok == token.CONTINUE && last.Label != nil) {
			return nil, nil, nil, nil, false
		}
	default:
		return nil, nil, nil, nil, false
	}
	eq, isBin := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !isBin || eq.Op != token.EQL {
		return nil, nil, nil, nil, false
	}
	isElem := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		for {
			sel, ok := e.(*ast.SelectorExpr)
			if !ok {
				break
			}
			if s, isSel := info.Selections[sel]; !isSel || s.Kind() != types.FieldVal {
				return false
			}
			e = sel.X
		}
		id, ok := e.(*ast.Ident)
		return ok && info.Uses[id] == b
	}
	side, x := eq.X, eq.Y
	if !isElem(side) {
		side, x = x, side
	}
	if !isElem(side) || len(allocutil.Uses(info, b, x)) > 0 {
		return nil, nil, nil, nil, false
	}
	var used types.Type
	if len(allocutil.Uses(info, b, ifs.Body)) > 0 {
		used = b.Type()
	}
	if k, isID := rng.Key.(*ast.Ident); isID && k.Name != "_" {
		if kv, isVar := info.Defs[k].(*types.Var); isVar && len(allocutil.Uses(info, kv, ifs.Body)) > 0 {
			used = info.TypeOf(rng.Key) // the index is wanted
		}
	}
	return rng.X, x, info.TypeOf(side), used, true
}

// overCollection reports whether loop iterates over a collection whose size
// is not a small constant.
func overCollection(info *types.Info, loop ast.Node) bool {
	switch loop := loop.(type) {
	case *ast.RangeStmt:
		if _, lit := ast.Unparen(loop.X).(*ast.CompositeLit); lit {
			return false
		}
		switch t := info.TypeOf(loop.X).Underlying().(type) {
		case *types.Slice, *types.Map, *types.Chan, *types.Signature:
			return true
		case *types.Basic:
			return t.Info()&types.IsString != 0
		}
	case *ast.ForStmt:
		switch cond := ast.Unparen(loop.Cond).(type) {
		case *ast.BinaryExpr:
			// for i := ...; i < len(xs); i++
			call, ok := ast.Unparen(cond.Y).(*ast.CallExpr)
			if !ok || (cond.Op != token.LSS && cond.Op != token.LEQ) || !allocutil.IsBuiltin(info, call, "len") {
				return false
			}
			_, isSlice := info.TypeOf(call.Args[0]).Underlying().(*types.Slice)
			return isSlice
		case *ast.CallExpr:
			// for sc.Scan() { ... }
			fn, ok := typeutil.Callee(info, cond).(*types.Func)
			return ok && fn.Pkg() != nil && fn.Pkg().Path() == "bufio" && fn.Name() == "Scan"
		}
	}
	return false
}

// dependsOn reports whether e mentions a variable declared in loop (its
// iteration variables or anything computed in its body).
// In `for sc.Scan()`, the scanner itself (sc.Text()) changes per iteration.
func dependsOn(info *types.Info, e ast.Expr, loop ast.Node) bool {
	var scanner types.Object
	if f, ok := loop.(*ast.ForStmt); ok {
		if call, ok := ast.Unparen(f.Cond).(*ast.CallExpr); ok {
			if root := astutil.RootVar(info, call.Fun); root != nil {
				scanner = root
			}
		}
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			v, isVar := info.Uses[id].(*types.Var)
			if isVar && !v.IsField() && (allocutil.Within(loop, v.Pos()) || v == scanner) {
				found = true
			}
		}
		return !found
	})
	return found
}

// searchable reports whether hay is a slice, fixed for the duration of
// outer, whose lookups by a key of type key can be served by a map.
func searchable(info *types.Info, hay ast.Expr, key types.Type, outer ast.Node) bool {
	if !allocutil.Simple(hay) {
		return false
	}
	if _, isSlice := info.TypeOf(hay).Underlying().(*types.Slice); !isSlice {
		return false
	}
	if key == nil || !types.Comparable(key) || types.IsInterface(key) {
		return false // interface keys may panic in a map when the dynamic type is not comparable
	}
	obj := astutil.RootVar(info, hay)
	if obj == nil || allocutil.Within(outer, obj.Pos()) || allocutil.Mutated(info, obj, outer) {
		return false
	}
	return true
}

// tiny reports whether hay is a variable initialized with a composite
// literal of at most smallSet elements.
func tiny(info *types.Info, hay ast.Expr, inits map[types.Object]ast.Expr) bool {
	id, ok := ast.Unparen(hay).(*ast.Ident)
	if !ok {
		return false
	}
	return allocutil.SmallLiteral(inits[info.Uses[id]], smallSet)
}

// overSmallLiteral reports whether the outer loop ranges over a variable
// initialized with a literal of at most smallSet elements: the search then
// runs a handful of times.
func overSmallLiteral(info *types.Info, loop ast.Node, inits map[types.Object]ast.Expr) bool {
	rng, ok := loop.(*ast.RangeStmt)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(rng.X).(*ast.Ident)
	return ok && allocutil.SmallLiteral(inits[info.Uses[id]], smallSet)
}

// variadic reports whether hay is the variadic parameter of the function
// around cur: callers pass a handful of values there.
func variadic(info *types.Info, cur inspector.Cursor, hay ast.Expr) bool {
	id, ok := ast.Unparen(hay).(*ast.Ident)
	if !ok {
		return false
	}
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ft *ast.FuncType
		switch fn := c.Node().(type) {
		case *ast.FuncDecl:
			ft = fn.Type
		case *ast.FuncLit:
			ft = fn.Type
		}
		params := ft.Params.List
		if len(params) == 0 {
			return false
		}
		last := params[len(params)-1]
		if _, isEllipsis := last.Type.(*ast.Ellipsis); !isEllipsis {
			return false
		}
		for _, name := range last.Names {
			if info.Defs[name] == info.Uses[id] {
				return true
			}
		}
		return false
	}
	return false
}
