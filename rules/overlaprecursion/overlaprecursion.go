package overlaprecursion

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/callgraph"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
)

//go:embed doc.go
var doc string

// Analyzer reports recursion that recomputes overlapping subproblems.
var Analyzer = &analysis.Analyzer{
	Name:     "overlaprecursion",
	Doc:      ruledoc.Extract(doc, "overlaprecursion"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/overlaprecursion",
	Requires: []*analysis.Analyzer{callgraph.Analyzer},
	Run:      run,
}

// maxOffset bounds the constants in "parameter ± constant" arguments: larger
// steps (n-1000) shrink the subproblem space too fast to be the DP shape.
const maxOffset = 8

func run(pass *analysis.Pass) (any, error) {
	g := pass.ResultOf[callgraph.Analyzer].(*callgraph.Graph)
	for _, file := range pass.Files {
		if strings.HasSuffix(pass.Fset.File(file.Pos()).Name(), "_test.go") {
			continue // tests are not the profiled program
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
			checkFunc(pass, g, file, fn, fd)
		}
	}
	return nil, nil
}

func checkFunc(pass *analysis.Pass, g *callgraph.Graph, file *ast.File, fn *types.Func, fd *ast.FuncDecl) {
	res := fn.Signature().Results()
	if res.Len() == 0 {
		return // called for its effects
	}
	for v := range res.Variables() {
		if !plainValue(v.Type()) {
			// A fresh pointer, slice or map per call: memoizing would
			// share one object between callers.
			return
		}
	}
	params := astutil.Params(fn)
	// Group the recursive calls whose arguments are all parameters shifted
	// by constants, per callee.
	byCallee := make(map[*types.Func][]*ast.CallExpr)
	var callees []*types.Func
	discarded := discardedCalls(fd.Body)
	for _, c := range g.Calls[fn] {
		if !g.Recursive(fn, c.Callee) || discarded[c.Expr] || !shifted(pass.TypesInfo, params, c.Expr) {
			continue
		}
		if _, ok := byCallee[c.Callee]; !ok {
			callees = append(callees, c.Callee)
		}
		byCallee[c.Callee] = append(byCallee[c.Callee], c.Expr)
	}
	for _, callee := range callees {
		calls := byCallee[callee]
		a, b := overlappingPair(file, calls)
		if a == nil {
			continue
		}
		if !pureAndUnmemoized(pass.TypesInfo, fd.Body) ||
			(callee != fn && !pureAndUnmemoized(pass.TypesInfo, g.Decls[callee].Body)) {
			return
		}
		d := analysis.Diagnostic{
			Pos:      a.Pos(),
			End:      a.End(),
			Category: "cache",
		}
		how := "itself"
		if callee != fn {
			how = callee.Name() + " (mutual recursion)"
		}
		d.Message = fmt.Sprintf("%s calls %s more than once on overlapping arguments: %s and %s recompute the same results exponentially often (memoize in a map)",
			fn.Name(), how, source(pass, a), source(pass, b))
		if callee == fn && !g.Mutual(fn) {
			if fix, ok := memoizeFix(pass, fn, fd); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		pass.Report(d)
		return // one report per function
	}
}

// plainValue reports whether values of t hold no references: basic types,
// and arrays and structs of them.
func plainValue(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() != types.UnsafePointer
	case *types.Array:
		return plainValue(u.Elem())
	case *types.Struct:
		for f := range u.Fields() {
			if !plainValue(f.Type()) {
				return false
			}
		}
		return true
	}
	return false
}

// discardedCalls returns the calls of body whose results are thrown away:
// such calls run for their effects, and memoizing them would drop effects.
func discardedCalls(body *ast.BlockStmt) map[*ast.CallExpr]bool {
	m := make(map[*ast.CallExpr]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				m[call] = true
			}
		case *ast.GoStmt:
			m[n.Call] = true
		case *ast.DeferStmt:
			m[n.Call] = true
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" && len(n.Lhs) == len(n.Rhs) {
					if call, ok := ast.Unparen(n.Rhs[i]).(*ast.CallExpr); ok {
						m[call] = true
					}
				}
			}
		}
		return true
	})
	return m
}

// shifted reports whether every argument of call (and its receiver, for a
// method call) is a constant, a parameter, or an integer parameter plus or
// minus a small constant, and at least one is so shifted: the shape of a
// recurrence over a small index space.
func shifted(info *types.Info, params map[*types.Var]bool, call *ast.CallExpr) bool {
	args := astutil.Operands(info, call)
	if call.Ellipsis.IsValid() {
		return false
	}
	anyShift := false
	for _, arg := range args {
		switch k, _ := argShape(info, params, arg); k {
		case shapeShift:
			anyShift = true
		case shapeParam, shapeConst:
		default:
			return false
		}
	}
	return anyShift
}

type shape int

const (
	shapeOther shape = iota
	shapeConst
	shapeParam
	shapeShift
)

// argShape classifies an argument, returning the parameter it derives from.
func argShape(info *types.Info, params map[*types.Var]bool, e ast.Expr) (shape, *types.Var) {
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return shapeConst, nil
	}
	if p := astutil.Param(info, params, e); p != nil {
		return shapeParam, p
	}
	bin, ok := e.(*ast.BinaryExpr)
	if !ok || (bin.Op != token.ADD && bin.Op != token.SUB) {
		return shapeOther, nil
	}
	x, y := bin.X, bin.Y
	p := astutil.Param(info, params, x)
	if p == nil && bin.Op == token.ADD {
		x, y = y, x
		p = astutil.Param(info, params, x)
	}
	if p == nil || !astutil.IsInteger(p.Type()) || !astutil.SmallConst(info, y, maxOffset) {
		return shapeOther, nil
	}
	return shapeShift, p
}

// overlappingPair returns two calls that can both run in one activation.
func overlappingPair(file *ast.File, calls []*ast.CallExpr) (a, b *ast.CallExpr) {
	for i := range calls {
		for j := i + 1; j < len(calls); j++ {
			if !callgraph.Exclusive(file, calls[i], calls[j]) {
				return calls[i], calls[j]
			}
		}
	}
	return nil, nil
}

// impurePkgs are packages whose functions do I/O, block, synchronize or read
// changing state: a function calling them must not be memoized.
var impurePkgs = map[string]bool{
	"os": true, "io": true, "bufio": true, "net": true, "net/http": true,
	"log": true, "log/slog": true, "database/sql": true, "syscall": true,
	"time": true, "math/rand": true, "math/rand/v2": true, "crypto/rand": true,
	"sync": true, "sync/atomic": true, "runtime": true, "os/exec": true,
}

// pureAndUnmemoized reports whether body neither memoizes (indexes a map,
// writes an indexed element) nor has effects that make memoizing it wrong.
func pureAndUnmemoized(info *types.Info, body *ast.BlockStmt) bool {
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.SendStmt, *ast.GoStmt, *ast.SelectStmt:
			ok = false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false
			}
		case *ast.IndexExpr:
			if t := info.TypeOf(n.X); t != nil {
				if _, isMap := t.Underlying().(*types.Map); isMap {
					ok = false // a map lookup: memo table or shared state
				}
			}
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					if !localLHS(info, lhs) {
						ok = false
					}
				}
			}
		case *ast.IncDecStmt:
			if !localLHS(info, n.X) {
				ok = false
			}
		case *ast.CallExpr:
			if fn := typeutil.Callee(info, n); fn != nil {
				if f, isFunc := fn.(*types.Func); isFunc && impureFunc(f) {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
}

func impureFunc(f *types.Func) bool {
	if f.Pkg() == nil {
		return false
	}
	path := f.Pkg().Path()
	if path == "fmt" {
		name := f.Name()
		return strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint") ||
			strings.HasPrefix(name, "Scan") || strings.HasPrefix(name, "Fscan")
	}
	return impurePkgs[path]
}

// localLHS reports whether an assignment target is a variable of the
// function (a parameter or a local), not a package variable, a field, a
// pointer target or an element.
func localLHS(info *types.Info, lhs ast.Expr) bool {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return false
	}
	if id.Name == "_" {
		return true
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	if v.Parent() == nil || v.Pkg() == nil {
		return false
	}
	return v.Parent() != v.Pkg().Scope()
}

// source returns the text of n as written, or its printed form if the
// file cannot be read.
func source(pass *analysis.Pass, n ast.Node) string {
	tf := pass.Fset.File(n.Pos())
	if src, err := pass.ReadFile(tf.Name()); err == nil {
		return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())])
	}
	return types.ExprString(n.(ast.Expr))
}
