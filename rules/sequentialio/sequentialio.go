package sequentialio

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/loopdep"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
)

//go:embed doc.go
var doc string

// Analyzer reports blocking I/O calls in loops of independent iterations.
var Analyzer = &analysis.Analyzer{
	Name:     "sequentialio",
	Doc:      ruledoc.Extract(doc, "sequentialio"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/sequentialio",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// ioCalls maps the full name of each blocking call to what it waits on.
var ioCalls = map[string]string{
	"net/http.Get":                       "the network",
	"net/http.Head":                      "the network",
	"net/http.Post":                      "the network",
	"net/http.PostForm":                  "the network",
	"(*net/http.Client).Do":              "the network",
	"(*net/http.Client).Get":             "the network",
	"(*net/http.Client).Head":            "the network",
	"(*net/http.Client).Post":            "the network",
	"(*net/http.Client).PostForm":        "the network",
	"net.Dial":                           "the network",
	"net.DialTimeout":                    "the network",
	"net.DialTCP":                        "the network",
	"net.DialUDP":                        "the network",
	"net.DialUnix":                       "the network",
	"net.DialIP":                         "the network",
	"(*net.Dialer).Dial":                 "the network",
	"(*net.Dialer).DialContext":          "the network",
	"(*database/sql.DB).Query":           "the database",
	"(*database/sql.DB).QueryContext":    "the database",
	"(*database/sql.DB).QueryRow":        "the database",
	"(*database/sql.DB).QueryRowContext": "the database",
	"os.ReadFile":                        "file I/O",
	"os.Open":                            "file I/O",
	"os.ReadDir":                         "file I/O",
}

// blocking describes a call that waits: on what, and through which call.
type blocking struct {
	wait string
	via  string // the I/O call inside a helper, "" for a direct call
}

func run(pass *analysis.Pass) (any, error) {
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	helpers := blockingHelpers(pass)
	deps := loopdep.New(pass.TypesInfo, pass.Pkg, pass.Files)
	reported := make(map[ast.Node]bool)
	for cur := range inspect.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := typeutil.StaticCallee(pass.TypesInfo, call)
		if fn == nil {
			continue
		}
		b, ok := blockingCall(fn, helpers)
		if !ok || strings.HasSuffix(pass.Fset.File(call.Pos()).Name(), "_test.go") {
			continue
		}
		if k, _ := cur.ParentEdge(); k == edge.GoStmt_Call || k == edge.DeferStmt_Call {
			continue
		}
		for loop := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
			if _, ok := loop.Node().(*ast.ForStmt); !ok {
				if _, ok := loop.Node().(*ast.RangeStmt); !ok {
					break // function boundary
				}
			}
			if reported[loop.Node()] {
				break
			}
			if independent(pass.TypesInfo, deps, loop, call) {
				reported[loop.Node()] = true
				what := types.ExprString(call.Fun)
				if b.via != "" {
					what += " (through " + b.via + ")"
				}
				pass.Report(analysis.Diagnostic{
					Pos:      call.Pos(),
					End:      call.End(),
					Category: "goroutines",
					Message: fmt.Sprintf("%s waits on %s in every iteration of a loop whose iterations are independent; issue the calls concurrently (errgroup.Group with SetLimit)",
						what, b.wait),
				})
				break
			}
		}
	}
	return nil, nil
}

func blockingCall(fn *types.Func, helpers map[*types.Func]blocking) (blocking, bool) {
	if wait, ok := ioCalls[fn.FullName()]; ok {
		return blocking{wait: wait}, true
	}
	b, ok := helpers[fn.Origin()]
	return b, ok
}

// blockingHelpers finds the package's functions that make a blocking I/O
// call themselves or through other such functions (not in goroutines or
// closures). Whether a call of one keeps the loop's iterations independent
// (it writes no package variables, exits on no error path...) is loopdep's
// to say, when the loop is examined.
func blockingHelpers(pass *analysis.Pass) map[*types.Func]blocking {
	type decl struct {
		fn *types.Func
		fd *ast.FuncDecl
	}
	var decls []decl // in source order, so that messages are stable
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls = append(decls, decl{fn, fd})
				}
			}
		}
	}
	helpers := make(map[*types.Func]blocking)
	for changed := true; changed; {
		changed = false
		for _, d := range decls {
			fn, fd := d.fn, d.fd
			if _, done := helpers[fn]; done {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit, *ast.GoStmt:
					return false
				case *ast.CallExpr:
					callee := typeutil.StaticCallee(pass.TypesInfo, n)
					if callee == nil || callee == fn {
						break
					}
					if b, ok := blockingCall(callee, helpers); ok {
						via := types.ExprString(n.Fun)
						if b.via != "" {
							via = b.via
						}
						helpers[fn] = blocking{wait: b.wait, via: via}
						changed = true
						return false
					}
				}
				return true
			})
		}
	}
	return helpers
}

// independent reports whether the loop's iterations can run concurrently
// around call: the loop ranges over data or counts, runs more than once,
// the call's arguments depend on the iteration, and loopdep finds nothing
// that orders the iterations beyond what concurrent code with results kept
// by index preserves (output to standard output or error, appending,
// stopping at the first error, reductions). A shared writer or channel, a
// process exit on an error path (directly or in a callee), or goroutines
// already started keep the loop silent.
func independent(info *types.Info, deps *loopdep.Analyzer, loop inspector.Cursor, call *ast.CallExpr) bool {
	vars, ok := iterationVars(info, loop.Node())
	if !ok || !manyIterations(info, loop.Node()) {
		return false
	}
	vars = derived(info, astutil.LoopBody(loop.Node()), vars)
	if !mentions(info, call, vars) {
		return false
	}
	r := deps.Loop(loop.Node().(ast.Stmt))
	return r.Verdict != loopdep.Dependent && !r.Spawns &&
		!r.Has(loopdep.Exit) && !r.Has(loopdep.Writer) && !r.Has(loopdep.Send)
}

// iterationVars returns the variables that differ per iteration: range key
// and value, or the induction variable of a counting for clause. It fails
// for loops that neither range over data nor count.
func iterationVars(info *types.Info, loop ast.Node) (map[types.Object]bool, bool) {
	vars := make(map[types.Object]bool)
	switch l := loop.(type) {
	case *ast.RangeStmt:
		switch info.TypeOf(l.X).Underlying().(type) {
		case *types.Slice, *types.Array, *types.Map, *types.Basic:
		case *types.Pointer: // to an array
		default:
			return nil, false // channels, iterator functions: unknown order constraints
		}
		for _, e := range []ast.Expr{l.Key, l.Value} {
			if id, ok := e.(*ast.Ident); ok && e != nil {
				if obj := info.ObjectOf(id); obj != nil {
					vars[obj] = true
				}
			}
		}
	case *ast.ForStmt:
		as, ok := l.Init.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || l.Cond == nil || l.Post == nil {
			return nil, false
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			return nil, false
		}
		obj := info.Defs[id]
		if obj == nil || !isNumber(obj.Type()) || !steps(info, l.Post, obj) {
			return nil, false
		}
		vars[obj] = true
	}
	return vars, true
}

// steps reports whether post is i++, i--, i += c or i -= c.
func steps(info *types.Info, post ast.Stmt, v types.Object) bool {
	switch p := post.(type) {
	case *ast.IncDecStmt:
		id, ok := p.X.(*ast.Ident)
		return ok && info.Uses[id] == v
	case *ast.AssignStmt:
		id, ok := p.Lhs[0].(*ast.Ident)
		return ok && info.Uses[id] == v && (p.Tok == token.ADD_ASSIGN || p.Tok == token.SUB_ASSIGN)
	}
	return false
}

// manyIterations reports false for loops known to run at most once.
func manyIterations(info *types.Info, loop ast.Node) bool {
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if lit, ok := ast.Unparen(l.X).(*ast.CompositeLit); ok && len(lit.Elts) <= 1 {
			return false
		}
		if n, ok := intConst(info, l.X); ok && n <= 1 {
			return false
		}
		if a, ok := info.TypeOf(l.X).Underlying().(*types.Array); ok && a.Len() <= 1 {
			return false
		}
	case *ast.ForStmt:
		init := l.Init.(*ast.AssignStmt).Rhs[0]
		cond, ok := l.Cond.(*ast.BinaryExpr)
		if !ok {
			return true
		}
		lo, ok1 := intConst(info, init)
		hi, ok2 := intConst(info, cond.Y)
		if ok1 && ok2 {
			switch cond.Op {
			case token.LSS, token.NEQ:
				return hi-lo > 1
			case token.LEQ:
				return hi-lo >= 1
			}
		}
	}
	return true
}

func intConst(info *types.Info, e ast.Expr) (int64, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(tv.Value)
}

// derived extends deps with the variables the body defines from them, in
// source order (x := base + deps[i] makes x iteration-dependent).
func derived(info *types.Info, body *ast.BlockStmt, deps map[types.Object]bool) map[types.Object]bool {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				break
			}
			for _, r := range n.Rhs {
				if mentions(info, r, deps) {
					for _, l := range n.Lhs {
						if obj := info.ObjectOf(l.(*ast.Ident)); obj != nil {
							deps[obj] = true
						}
					}
					break
				}
			}
		case *ast.ValueSpec:
			for _, r := range n.Values {
				if mentions(info, r, deps) {
					for _, name := range n.Names {
						deps[info.Defs[name]] = true
					}
					break
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE && mentions(info, n.X, deps) {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						deps[info.Defs[id]] = true
					}
				}
			}
		}
		return true
	})
	return deps
}

func mentions(info *types.Info, n ast.Node, vars map[types.Object]bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && vars[info.Uses[id]] {
			found = true
		}
		return !found
	})
	return found
}

func isNumber(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsNumeric != 0
}
