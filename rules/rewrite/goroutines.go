package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// GoroutineLimit bounds the goroutines the goroutines template runs at once:
// enough to overlap the waits of typical network calls without opening an
// unbounded number of connections.
const GoroutineLimit = 8

// sideEffectFree lists the packages whose functions may appear in the
// arguments of the parallelized call or in the statements that use its
// results: they neither read nor write the program's state.
var sideEffectFree = map[string]bool{
	"errors": true, "math": true, "net/url": true, "path": true, "path/filepath": true,
	"strconv": true, "strings": true, "unicode/utf8": true,
}

// Goroutines rewrites the I/O loop containing line so that the call its
// body starts with runs in bounded goroutines (errgroup.Group with
// SetLimit(GoroutineLimit)), and the rest of the body then consumes the
// results in the original order:
//
//	for i := 0; i < n; i++ {               sizes := make([]int, n)
//		size, err := fetch(c, url(i))      errs := make([]error, n)
//		if err != nil {                    var g errgroup.Group
//			log.Fatal(err)                 g.SetLimit(8)
//		}                            →     for i := 0; i < n; i++ {
//		total += size                          g.Go(func() error { sizes[i], errs[i] = fetch(c, url(i)); return nil })
//	}                                      }
//	                                       _ = g.Wait()
//	                                       for i := 0; i < n; i++ { size, err := sizes[i], errs[i]; ... }
//
// It applies only when the calls are independent: the call's arguments
// use the index and variables the loop never writes; the rest of the body
// writes only local variables that the call does not read, calls nothing
// but builtins and side-effect-free standard functions, and leaves the
// function (return, log.Fatal, panic) only when the call failed. The one
// difference: after a failure, the calls of later iterations have already
// run.
func Goroutines(p *Package, file string, line int) (*Rewrite, error) {
	f, src, err := p.fileAt(file)
	if err != nil {
		return nil, err
	}
	if !p.HasErrgroup {
		return nil, noMatch("golang.org/x/sync is not a dependency of the module (go get golang.org/x/sync/errgroup)")
	}
	if !p.goVersionOK(f) {
		return nil, noMatch("the file is compiled for Go before 1.22 (shared loop variables)")
	}
	loops, fd := p.loopsAt(f, line)
	if len(loops) == 0 {
		return nil, noMatch(fmt.Sprintf("no loop at line %d", line))
	}
	tf := p.Fset.File(f.Pos())
	var d declined
	// The innermost loop first: it is the one that makes the calls.
	for i := len(loops) - 1; i >= 0; i-- {
		rw, err := p.goroutines(f, fd, loops[i], src, tf)
		if err == nil {
			return rw, nil
		}
		d.add(p, loops[i], err)
	}
	return nil, d.err(fmt.Sprintf("no loop at line %d", line))
}

func (p *Package) goroutines(f *ast.File, fd *ast.FuncDecl, loop ast.Stmt, src []byte, tf *token.File) (*Rewrite, error) {
	scope := p.Info.Scopes[fd.Type]
	if scope == nil {
		return nil, noMatch("no scope for the function")
	}
	inner := scope.Innermost(loop.Pos())
	avoid := identNames(fd)
	li, err := p.indexOf(loop, src, tf, func() string { return fresh(inner, loop.Pos(), avoid, "i") })
	if err != nil {
		return nil, err
	}
	body := astutil.LoopBody(loop)
	if len(body.List) < 1 {
		return nil, noMatch("the loop body is empty")
	}
	first, ok := body.List[0].(*ast.AssignStmt)
	if !ok || first.Tok != token.DEFINE || len(first.Rhs) != 1 {
		return nil, noMatch("the loop body does not start with v, err := call(...)")
	}
	call, ok := ast.Unparen(first.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return nil, noMatch("the loop body does not start with a call")
	}
	if _, isFunc := calleeObj(p.Info, call).(*types.Func); !isFunc {
		return nil, noMatch("the call is not of a named function or method")
	}
	// The call's inputs: the index, the element, and variables the loop
	// never writes.
	loopWrites := writes(p.Info, body)
	for v := range freeVars(p.Info, call) {
		if loopWrites[v] {
			return nil, noMatch("the call reads " + v.Name() + ", which the loop writes")
		}
	}
	for _, a := range call.Args {
		if hasCall(p.Info, a, stdAllowed) {
			return nil, noMatch("the call's arguments call functions that may have side effects")
		}
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && hasCall(p.Info, sel.X, stdAllowed) {
		return nil, noMatch("the call's receiver is computed by a call")
	}
	if err := p.shareable(call, li, fd); err != nil {
		return nil, err
	}
	// The results and their types.
	var resTypes []types.Type
	switch t := p.Info.TypeOf(call).(type) {
	case *types.Tuple:
		for v := range t.Variables() {
			resTypes = append(resTypes, v.Type())
		}
	case nil:
		return nil, noMatch("the call has no type")
	default:
		resTypes = []types.Type{t}
	}
	if len(resTypes) != len(first.Lhs) {
		return nil, noMatch("the call's results are not all assigned")
	}
	var errVars []*types.Var
	for i, l := range first.Lhs {
		id, _ := l.(*ast.Ident)
		if id == nil {
			return nil, noMatch("a result is not assigned to a variable")
		}
		if v, ok := p.Info.Defs[id].(*types.Var); ok && types.Identical(resTypes[i], types.Universe.Lookup("error").Type()) {
			errVars = append(errVars, v)
		}
	}
	rest := &ast.BlockStmt{List: body.List[1:]}
	if err := p.consumerOK(rest, fd, call, errVars); err != nil {
		return nil, err
	}

	// Generate.
	text := func(n ast.Node) string { return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())]) }
	key := li.name
	var decl, lhs, rhs []string
	var b strings.Builder
	for i, l := range first.Lhs {
		name := l.(*ast.Ident).Name
		if name == "_" {
			name = "result"
		}
		slice := fresh(inner, loop.Pos(), avoid, name+"s")
		ts, err := p.typeString(resTypes[i], f)
		if err != nil {
			return nil, err
		}
		decl = append(decl, fmt.Sprintf("%s := make([]%s, %s)\n", slice, ts, li.length))
		lhs = append(lhs, slice+"["+key+"]")
		rhs = append(rhs, slice+"["+key+"]")
	}
	g := fresh(inner, loop.Pos(), avoid, "g")
	for _, d := range decl {
		b.WriteString(d)
	}
	fmt.Fprintf(&b, "var %s errgroup.Group\n%s.SetLimit(%d)\n", g, g, GoroutineLimit)
	// A range loop's element variable is declared only where it is used.
	header := func(n ast.Node) string {
		if li.value != nil && !uses(p.Info, n, p.Info.Defs[li.value]) {
			return fmt.Sprintf("for %s := range %s ", key, li.over)
		}
		return li.header
	}
	fmt.Fprintf(&b, "%s{\n%s.Go(func() error {\n%s = %s\nreturn nil\n})\n}\n", header(call), g, strings.Join(lhs, ", "), text(call))
	fmt.Fprintf(&b, "_ = %s.Wait() // every call's error is in its own slot, handled below in order\n", g)
	fmt.Fprintf(&b, "%s{\n%s %s %s", header(rest), text(first.Lhs[0])+joinRest(first.Lhs[1:], text), first.Tok, strings.Join(rhs, ", "))
	b.Write(src[tf.Offset(first.End()):tf.Offset(body.Rbrace)])
	b.WriteString("}")
	out, err := splice(p.Fset, tf.Name(), src, tf.Offset(loop.Pos()), tf.Offset(loop.End()), b.String(), "golang.org/x/sync/errgroup")
	if err != nil {
		return nil, err
	}
	return &Rewrite{
		Kind: "goroutines", File: tf.Name(), Old: src, New: out, Concurrent: true,
		Message: fmt.Sprintf("run the calls of %s in at most %d goroutines at once (errgroup), then use the results in order", calleeName(p.Info, call), GoroutineLimit),
	}, nil
}

func joinRest(es []ast.Expr, text func(ast.Node) string) string {
	var s string
	for _, e := range es {
		s += ", " + text(e)
	}
	return s
}

func calleeName(info *types.Info, call *ast.CallExpr) string {
	if obj := calleeObj(info, call); obj != nil {
		return obj.Name()
	}
	return "the call"
}

// stdAllowed accepts functions of the side-effect-free standard packages,
// and fmt's formatting into strings.
func stdAllowed(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return false
	}
	path := fn.Pkg().Path()
	if path == "fmt" {
		return strings.HasPrefix(fn.Name(), "Sprint") || fn.Name() == "Errorf"
	}
	return sideEffectFree[path]
}

// consumerOK checks the statements after the call (they run after all the
// calls in the rewrite): they may write only local variables the call does
// not read, call only side-effect-free functions, and leave the loop or the
// function only on a failed call.
func (p *Package) consumerOK(rest *ast.BlockStmt, fd *ast.FuncDecl, call *ast.CallExpr, errVars []*types.Var) error {
	callReads := freeVars(p.Info, call)
	for v := range writes(p.Info, rest) {
		if callReads[v] {
			return noMatch("the loop writes " + v.Name() + ", which the call reads")
		}
		if !declaredIn(v, fd) {
			return noMatch("the loop writes " + v.Name() + ", which is not local to " + fd.Name.Name)
		}
	}
	var why error
	var onError []ast.Node // if-blocks taken when the call failed
	ast.Inspect(rest, func(n ast.Node) bool {
		if why != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.IfStmt:
			if p.testsErr(n.Cond, errVars) {
				onError = append(onError, n.Body)
			}
		case *ast.BranchStmt:
			if n.Tok != token.CONTINUE || n.Label != nil {
				why = noMatch("the loop body has a " + n.Tok.String())
			}
		case *ast.LabeledStmt, *ast.GoStmt, *ast.DeferStmt, *ast.SelectStmt, *ast.SendStmt, *ast.FuncLit:
			why = noMatch("the loop body has goroutines, defers, channels, labels or closures")
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				why = noMatch("the loop body receives from a channel")
			}
		case *ast.ReturnStmt:
			if !within(n, onError) {
				why = noMatch("the loop body returns when the call succeeded")
			}
		case *ast.CallExpr:
			if tv, ok := p.Info.Types[n.Fun]; ok && tv.IsType() {
				return true
			}
			switch obj := calleeObj(p.Info, n).(type) {
			case *types.Builtin:
				if obj.Name() != "append" && obj.Name() != "len" && obj.Name() != "panic" && obj.Name() != "min" && obj.Name() != "max" {
					why = noMatch("the loop body calls " + obj.Name())
				}
				if obj.Name() == "panic" && !within(n, onError) {
					why = noMatch("the loop body panics when the call succeeded")
				}
			case *types.Func:
				failing := within(n, onError)
				switch {
				case exits(obj):
					if !failing {
						why = noMatch("the loop body exits when the call succeeded")
					}
				case failing && obj.Pkg() != nil && obj.Pkg().Path() == "log":
					// Logging a failure: it only moves after the other calls.
				case !stdAllowed(obj):
					why = noMatch("the loop body calls " + obj.Name() + ", which may depend on the order of the calls")
				}
			default:
				why = noMatch("the loop body calls a function value")
			}
		}
		return true
	})
	return why
}

// testsErr reports whether cond is `err != nil` for one of errVars.
func (p *Package) testsErr(cond ast.Expr, errVars []*types.Var) bool {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.NEQ {
		return false
	}
	id := identOf(be.X)
	if id == nil || identOf(be.Y) == nil || identOf(be.Y).Name != "nil" {
		return false
	}
	for _, v := range errVars {
		if p.Info.Uses[id] == v {
			return true
		}
	}
	return false
}

// exits reports whether fn ends the program (log.Fatal*, log.Panic*, os.Exit).
func exits(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "log":
		return strings.HasPrefix(fn.Name(), "Fatal") || strings.HasPrefix(fn.Name(), "Panic")
	case "os":
		return fn.Name() == "Exit"
	}
	return false
}

func within(n ast.Node, blocks []ast.Node) bool {
	for _, b := range blocks {
		if n.Pos() >= b.Pos() && n.End() <= b.End() {
			return true
		}
	}
	return false
}

// uses reports whether n refers to obj.
func uses(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// concurrencySafe lists reference types documented as safe for use by
// concurrent goroutines, which the calls may share.
var concurrencySafe = map[string]bool{
	"net/http.Client": true, "database/sql.DB": true, "database/sql.Stmt": true,
	"log.Logger": true, "log/slog.Logger": true, "context.Context": true,
}

// shareable checks what the concurrent calls share: each argument (and the
// receiver) is a value, this iteration's element, or of a type safe for
// concurrent use — never, say, a shared reader whose state carries from
// one call to the next. A callee of the package must not assign package
// variables.
func (p *Package) shareable(call *ast.CallExpr, li *loopIndex, fd *ast.FuncDecl) error {
	exprs := append([]ast.Expr(nil), call.Args...)
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if _, isPkg := p.Info.ObjectOf(identOf(sel.X)).(*types.PkgName); !isPkg {
			exprs = append(exprs, sel.X)
		}
	}
	for _, e := range exprs {
		t := p.Info.TypeOf(e)
		if t == nil || valueType(t) || p.perIteration(e, li) {
			continue
		}
		named := t
		if ptr, ok := t.(*types.Pointer); ok {
			named = ptr.Elem()
		}
		if n, ok := types.Unalias(named).(*types.Named); ok && n.Obj().Pkg() != nil && concurrencySafe[n.Obj().Pkg().Path()+"."+n.Obj().Name()] {
			continue
		}
		return noMatch(fmt.Sprintf("the calls would share %s (%s), which may not be safe for concurrent use", types.ExprString(e), t))
	}
	if fn, ok := calleeObj(p.Info, call).(*types.Func); ok && fn.Pkg() == p.Types {
		if decl := p.funcDecl(fn); decl != nil {
			for v := range writes(p.Info, decl.Body) {
				if v.Parent() == p.Types.Scope() {
					return noMatch(fn.Name() + " assigns the package variable " + v.Name())
				}
			}
		}
	}
	return nil
}

// perIteration reports whether e is this iteration's element: s[i] for the
// loop index i, or the range loop's element variable.
func (p *Package) perIteration(e ast.Expr, li *loopIndex) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return li.value != nil && p.Info.Uses[e] == p.Info.Defs[li.value]
	case *ast.IndexExpr:
		id := identOf(e.Index)
		return id != nil && (li.key != nil && p.Info.Uses[id] == li.key)
	}
	return false
}
