package deeprecursion

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	xastutil "golang.org/x/tools/go/ast/astutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/callgraph"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
)

//go:embed doc.go
var doc string

// Analyzer reports recursion whose depth grows linearly with its input.
var Analyzer = &analysis.Analyzer{
	Name:     "deeprecursion",
	Doc:      ruledoc.Extract(doc, "deeprecursion"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/deeprecursion",
	Requires: []*analysis.Analyzer{callgraph.Analyzer},
	Run:      run,
}

// maxStep bounds the constant of an "n-k" or "s[k:]" step: a bigger stride
// is chunking, not one element per call.
const maxStep = 4

func run(pass *analysis.Pass) (any, error) {
	g := pass.ResultOf[callgraph.Analyzer].(*callgraph.Graph)
	reported := make(map[int]bool) // cycles of mutual recursion already reported
	for _, file := range pass.Files {
		// Tests recurse deeply on purpose (to grow stacks), and are not
		// the profiled program.
		if strings.HasSuffix(pass.Fset.File(file.Pos()).Name(), "_test.go") {
			continue
		}
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok || g.Decls[fn] != fd {
				continue
			}
			checkFunc(pass, g, file, fn, fd, reported)
		}
	}
	return nil, nil
}

func checkFunc(pass *analysis.Pass, g *callgraph.Graph, file *ast.File, fn *types.Func, fd *ast.FuncDecl, reported map[int]bool) {
	var rec []*ast.CallExpr
	for _, c := range g.Calls[fn] {
		if g.Recursive(fn, c.Callee) {
			rec = append(rec, c.Expr)
		}
	}
	// Two recursive calls in one activation make a call tree, whose depth
	// is not the input size (or which overlaprecursion reports).
	for i := range rec {
		for j := i + 1; j < len(rec); j++ {
			if !callgraph.Exclusive(file, rec[i], rec[j]) {
				return
			}
		}
	}
	comp, mutual := g.Component(fn)
	if mutual && reported[comp] {
		return // one report per cycle
	}
	params := astutil.Params(fn)
	for _, call := range rec {
		if inLoop(file, call) {
			continue
		}
		why, ok := linearStep(pass.TypesInfo, params, fd.Body, call)
		if !ok {
			continue
		}
		callee := calleeName(call)
		who := "itself"
		if callee != fn.Name() {
			who = callee + " (mutual recursion)"
		}
		if mutual {
			reported[comp] = true
		}
		pass.Report(analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: "iterate",
			Message:  fmt.Sprintf("%s calls %s %s (rewrite as a loop)", fn.Name(), who, why),
		})
		return // one report per function
	}
}

func calleeName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr: // explicit instantiation
		return calleeName(&ast.CallExpr{Fun: f.X})
	case *ast.IndexListExpr:
		return calleeName(&ast.CallExpr{Fun: f.X})
	}
	return "?"
}

// inLoop reports whether call is inside a loop of its function.
func inLoop(file *ast.File, call *ast.CallExpr) bool {
	path, _ := xastutil.PathEnclosingInterval(file, call.Pos(), call.End())
	for _, n := range path {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncDecl:
			return false
		}
	}
	return false
}

type shape int

const (
	other    shape = iota
	same           // a parameter or a constant, passed along
	intStep        // p ± k
	elemStep       // p[k:], p[:len(p)-k], p.next
)

// linearStep reports whether the call advances one of the function's
// parameters by one element, and says how. An integer step counts only when
// every other argument is passed along unchanged: beside an argument that
// changes another way, it is usually a depth counter, not the input.
func linearStep(info *types.Info, params map[*types.Var]bool, body *ast.BlockStmt, call *ast.CallExpr) (string, bool) {
	args := astutil.Operands(info, call)
	var why string
	var sawOther, sawElem, sawInt bool
	for _, a := range args {
		sh, w := argShape(info, params, body, a)
		switch sh {
		case other:
			sawOther = true
		case intStep:
			if !sawInt && !sawElem {
				why = w
			}
			sawInt = true
		case elemStep:
			if !sawElem {
				why = w
			}
			sawElem = true
		}
	}
	switch {
	case sawElem:
		return why, true
	case sawInt && !sawOther:
		return why, true
	}
	return "", false
}

func argShape(info *types.Info, params map[*types.Var]bool, body *ast.BlockStmt, e ast.Expr) (shape, string) {
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return same, ""
	}
	if astutil.Param(info, params, e) != nil {
		return same, ""
	}
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op != token.ADD && e.Op != token.SUB {
			break
		}
		x, y := e.X, e.Y
		p := astutil.Param(info, params, x)
		if p == nil && e.Op == token.ADD {
			x, y = y, x
			p = astutil.Param(info, params, x)
		}
		// Counting up is input-driven only when the bound is not a
		// constant (i < len(s), not level < maxLevel).
		up := e.Op == token.ADD
		if p != nil && astutil.IsInteger(p.Type()) && astutil.SmallConst(info, y, maxStep) && (!up || comparedToVariable(info, body, p)) {
			return intStep, fmt.Sprintf("with %s, so recursion depth grows linearly with %s", types.ExprString(e), p.Name())
		}
	case *ast.SliceExpr:
		p := astutil.Param(info, params, e.X)
		if p == nil || e.Slice3 {
			break
		}
		tail := e.Low != nil && astutil.SmallConst(info, e.Low, maxStep) && e.High == nil
		init := e.Low == nil && e.High != nil && lenMinusConst(info, p, e.High)
		if tail || init {
			return elemStep, fmt.Sprintf("with %s, one element per call, so recursion depth grows with len(%s)", types.ExprString(e), p.Name())
		}
	case *ast.SelectorExpr:
		p := astutil.Param(info, params, e.X)
		if p == nil {
			break
		}
		if f, ok := info.Uses[e.Sel].(*types.Var); ok && f.IsField() && listLink(p.Type(), f) {
			return elemStep, fmt.Sprintf("on %s, one list node per call, so recursion depth grows with the length of the list", types.ExprString(e))
		}
	}
	return other, ""
}

// listLink reports whether field f of *T (t) links to the next node of a
// singly linked list: its type is *T, T has no other reference to itself
// (a second one, or a slice or map of them, makes it a tree or a graph), and
// its name says it walks a sequence (next, prev, tail, rest). Other single
// links (parent, outer, child, link) chain nested contexts, whose depth is
// the nesting depth of the program or data, not its size.
func listLink(t types.Type, f *types.Var) bool {
	name := strings.ToLower(f.Name())
	if !strings.Contains(name, "next") && !strings.Contains(name, "prev") && name != "tail" && name != "rest" {
		return false
	}
	ptr, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok || !types.Identical(f.Type(), t) {
		return false
	}
	links := 0
	for field := range st.Fields() {
		if refersTo(field.Type(), ptr.Elem()) {
			links++
		}
	}
	return links == 1
}

// refersTo reports whether a field of type ft can hold elem values: *elem,
// or a slice, array, map or channel of them.
func refersTo(ft, elem types.Type) bool {
	switch u := ft.Underlying().(type) {
	case *types.Pointer:
		return types.Identical(u.Elem(), elem)
	case *types.Slice:
		return refersTo(u.Elem(), elem)
	case *types.Array:
		return refersTo(u.Elem(), elem)
	case *types.Map:
		return refersTo(u.Elem(), elem) || refersTo(u.Key(), elem)
	case *types.Chan:
		return refersTo(u.Elem(), elem)
	}
	return types.Identical(ft, elem)
}

// lenMinusConst reports whether e is len(p) - k for a small constant k.
func lenMinusConst(info *types.Info, p *types.Var, e ast.Expr) bool {
	bin, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok || bin.Op != token.SUB || !astutil.SmallConst(info, bin.Y, maxStep) {
		return false
	}
	call, ok := ast.Unparen(bin.X).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	if b, ok := info.Uses[id].(*types.Builtin); !ok || b.Name() != "len" {
		return false
	}
	arg, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	return ok && info.Uses[arg] == p
}

// comparedToVariable reports whether body compares p with an expression that
// is not a constant.
func comparedToVariable(info *types.Info, body *ast.BlockStmt, p *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		bin, ok := n.(*ast.BinaryExpr)
		if !ok || found {
			return !found
		}
		switch bin.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			for _, pair := range [][2]ast.Expr{{bin.X, bin.Y}, {bin.Y, bin.X}} {
				id, ok := ast.Unparen(pair[0]).(*ast.Ident)
				if ok && info.Uses[id] == p {
					if tv, ok := info.Types[pair[1]]; ok && tv.Value == nil {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}
