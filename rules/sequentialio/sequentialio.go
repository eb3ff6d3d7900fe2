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

// readOnlyReceivers are types whose pointer-receiver methods do not change
// state that a later iteration could observe, so calling them in the loop
// keeps iterations independent.
var readOnlyReceivers = map[string]bool{
	"net/http.Client": true, "database/sql.DB": true, "net.Dialer": true,
	"log.Logger": true, "log/slog.Logger": true, "regexp.Regexp": true,
	"strings.Replacer": true, "net/url.URL": true, "text/template.Template": true,
	"html/template.Template": true, "context.Context": true,
}

// blocking describes a call that waits: on what, and through which call.
type blocking struct {
	wait string
	via  string // the I/O call inside a helper, "" for a direct call
}

// readOnlyPkgs are packages whose functions do not change the values passed
// to them (writers passed to fmt.Fprint* are checked separately).
var readOnlyPkgs = map[string]bool{
	"fmt": true, "log": true, "strings": true, "strconv": true, "path": true,
	"path/filepath": true, "errors": true, "net/url": true, "time": true,
	"unicode/utf8": true, "bytes": true,
}

func run(pass *analysis.Pass) (any, error) {
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	eff := effectful(pass)
	helpers := blockingHelpers(pass, eff)
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
			if independent(pass.TypesInfo, eff, loop, call, b.via != "") {
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
// call themselves or through other such functions, and touch no state
// beyond their arguments: no package variables, channels or goroutines
// (a helper that does may need its calls in order).
func blockingHelpers(pass *analysis.Pass, eff map[*types.Func]bool) map[*types.Func]blocking {
	type decl struct {
		fn *types.Func
		fd *ast.FuncDecl
	}
	var decls []decl // in source order, so that messages are stable
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok && !eff[fn] {
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

// effects reports whether body writes package variables, uses channels or
// starts goroutines.
func effects(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	pkgVar := func(e ast.Expr) bool {
		root, _ := rootOf(info, e, nil)
		return root == nil || astutil.PackageLevel(root)
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt, *ast.SendStmt, *ast.SelectStmt:
			found = true
		case *ast.UnaryExpr:
			found = found || n.Op == token.ARROW
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					found = found || pkgVar(l)
				}
			}
		case *ast.IncDecStmt:
			found = found || pkgVar(n.X)
		case *ast.CallExpr:
			// A mutating method of a package variable (cache.Store(k, v)).
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal && mutator(s) {
					if root, _ := rootOf(info, sel.X, nil); root != nil && astutil.PackageLevel(root) {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// mutator reports whether a method may change its receiver: it has a
// pointer receiver or is called through an interface.
func mutator(s *types.Selection) bool {
	if _, isIface := s.Recv().Underlying().(*types.Interface); isIface {
		return true
	}
	_, ptr := s.Obj().(*types.Func).Signature().Recv().Type().(*types.Pointer)
	return ptr
}

// effectful returns the package's functions that have effects (see
// effects) themselves or through the package's functions they call.
func effectful(pass *analysis.Pass) map[*types.Func]bool {
	type decl struct {
		fn *types.Func
		fd *ast.FuncDecl
	}
	var decls []decl
	eff := make(map[*types.Func]bool)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls = append(decls, decl{fn, fd})
					if effects(pass.TypesInfo, fd.Body) {
						eff[fn] = true
					}
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, d := range decls {
			if eff[d.fn] {
				continue
			}
			ast.Inspect(d.fd.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if callee := typeutil.StaticCallee(pass.TypesInfo, call); callee != nil && eff[callee.Origin()] {
						eff[d.fn] = true
						changed = true
					}
				}
				return !eff[d.fn]
			})
		}
	}
	return eff
}

// independent reports whether the loop's iterations can run concurrently
// around call. For a call of a helper function, whose body is not examined
// here, no argument may be a reference to state declared outside the loop,
// except clients known to be safe for concurrent use.
func independent(info *types.Info, eff map[*types.Func]bool, loop inspector.Cursor, call *ast.CallExpr, helper bool) bool {
	deps, ok := iterationVars(info, loop.Node())
	if !ok || !manyIterations(info, loop.Node()) {
		return false
	}
	body := astutil.LoopBody(loop.Node())
	deps = derived(info, body, deps)
	if helper && sharesState(info, loop.Node(), call) {
		return false
	}
	return mentions(info, call, deps) &&
		!spawns(info, body) &&
		exitsOnlyOnError(info, loop) &&
		noCarriedState(info, eff, loop.Node(), body, deps)
}

// sharesState reports whether call gets a pointer, slice, map, channel,
// function or interface declared outside the loop (other than a client type
// that is safe for concurrent use, or a scratch buffer to read into): the
// callee may change it, so iterations would share state through it.
func sharesState(info *types.Info, loop ast.Node, call *ast.CallExpr) bool {
	args := astutil.Operands(info, call)
	scratch := readsInto(info, call)
	for _, a := range args {
		root, _ := rootOf(info, a, nil)
		if root == nil || root.Name() == "_" || (root.Pos() >= loop.Pos() && root.Pos() < loop.End()) {
			continue
		}
		if scratch && isBytes(info.TypeOf(a)) {
			continue // a scratch buffer: each goroutine gets its own
		}
		t := info.TypeOf(a)
		if t == nil || readOnlyReceivers[typeName(t)] {
			continue
		}
		switch t.Underlying().(type) {
		case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
			return true
		}
	}
	return false
}

// readsInto reports whether call fills a byte buffer argument as scratch
// space: a Read or ReadAt method, io.ReadFull, io.ReadAtLeast, io.CopyBuffer.
func readsInto(info *types.Info, call *ast.CallExpr) bool {
	fn := typeutil.Callee(info, call)
	f, ok := fn.(*types.Func)
	if !ok {
		return false
	}
	if f.Signature().Recv() != nil {
		return f.Name() == "Read" || f.Name() == "ReadAt"
	}
	switch f.FullName() {
	case "io.ReadFull", "io.ReadAtLeast", "io.CopyBuffer":
		return true
	}
	return false
}

func isBytes(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
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

// spawns reports whether the body already starts goroutines.
func spawns(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			found = true
		case *ast.CallExpr:
			if fn := typeutil.StaticCallee(info, n); fn != nil && fn.Name() == "Go" {
				found = true // errgroup.Group.Go, sync.WaitGroup.Go, and the like
			}
		}
		return !found
	})
	return found
}

// exitsOnlyOnError reports whether every way out of the loop other than
// finishing it (return, break, goto, labeled continue of an outer loop) is
// taken only when an error is not nil: stopping on success is a retry or a
// search, which has to stay sequential.
func exitsOnlyOnError(info *types.Info, loop inspector.Cursor) bool {
	ok := true
	loopNode := loop.Node()
	for cur := range loop.Preorder((*ast.ReturnStmt)(nil), (*ast.BranchStmt)(nil), (*ast.FuncLit)(nil)) {
		if !ok {
			break
		}
		if inFuncLit(cur, loopNode) {
			continue
		}
		switch s := cur.Node().(type) {
		case *ast.ReturnStmt:
			ok = errorGuarded(info, cur, loopNode)
		case *ast.BranchStmt:
			switch s.Tok {
			case token.GOTO:
				ok = false
			case token.BREAK, token.CONTINUE:
				if leaves(cur, loopNode, s) {
					ok = errorGuarded(info, cur, loopNode)
				}
			}
		}
	}
	return ok
}

func inFuncLit(cur inspector.Cursor, loop ast.Node) bool {
	for c := cur.Parent(); c.Valid() && c.Node() != loop; c = c.Parent() {
		if _, ok := c.Node().(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// leaves reports whether a break or continue exits the loop: a break that
// targets it, or a labeled branch to a statement outside it.
func leaves(cur inspector.Cursor, loop ast.Node, s *ast.BranchStmt) bool {
	if s.Label != nil {
		// A label inside the loop names an inner statement.
		for c := cur.Parent(); c.Valid() && c.Node() != loop; c = c.Parent() {
			if l, ok := c.Node().(*ast.LabeledStmt); ok && l.Label.Name == s.Label.Name {
				return false
			}
		}
		return true
	}
	if s.Tok == token.CONTINUE {
		return false
	}
	for c := cur.Parent(); c.Valid() && c.Node() != loop; c = c.Parent() {
		switch c.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return false
		}
	}
	return true
}

// errorGuarded reports whether cur runs only in the body of an if whose
// condition tests an error against nil (err != nil).
func errorGuarded(info *types.Info, cur inspector.Cursor, loop ast.Node) bool {
	for c := cur; c.Valid() && c.Node() != loop; c = c.Parent() {
		if k, _ := c.ParentEdge(); k != edge.IfStmt_Body {
			continue
		}
		if testsErr(info, c.Parent().Node().(*ast.IfStmt).Cond) {
			return true
		}
	}
	return false
}

func testsErr(info *types.Info, cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok && b.Op == token.NEQ {
			if isError(info.TypeOf(b.X)) && info.Types[b.Y].IsNil() {
				found = true
			}
		}
		return !found
	})
	return found
}

var errorType = types.Universe.Lookup("error").Type()

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, errorType)
}

func isNumber(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsNumeric != 0
}

// noCarriedState reports whether the body writes nothing that a later
// iteration could read, beyond the accepted result patterns, and calls no
// method that mutates an object shared across iterations.
func noCarriedState(info *types.Info, eff map[*types.Func]bool, loop ast.Node, body *ast.BlockStmt, deps map[types.Object]bool) bool {
	inside := func(obj types.Object) bool {
		return obj.Pos() >= loop.Pos() && obj.Pos() < loop.End()
	}
	var induction types.Object
	if f, ok := loop.(*ast.ForStmt); ok {
		induction = info.Defs[f.Init.(*ast.AssignStmt).Lhs[0].(*ast.Ident)]
	}
	// okWrite reports whether writing lhs (with tok, from rhs) keeps the
	// iterations independent.
	okWrite := func(lhs ast.Expr, tok token.Token, rhs ast.Expr) bool {
		root, indexedByIter := rootOf(info, lhs, deps)
		if root == nil {
			return false // a write through a call result, say
		}
		if root.Name() == "_" {
			return true
		}
		if root == induction {
			return false
		}
		if inside(root) {
			return true
		}
		if root.Parent() == root.Pkg().Scope() {
			return false // package state
		}
		if _, isIdent := ast.Unparen(lhs).(*ast.Ident); !isIdent {
			return indexedByIter // results[i] = ..., m[url] = ...
		}
		switch {
		case isError(root.Type()):
			return true
		case tok == token.INC || tok == token.DEC:
			return isNumber(root.Type())
		case tok == token.ADD_ASSIGN || tok == token.SUB_ASSIGN || tok == token.MUL_ASSIGN ||
			tok == token.OR_ASSIGN || tok == token.AND_ASSIGN || tok == token.XOR_ASSIGN:
			return isNumber(root.Type())
		case tok == token.ASSIGN:
			return isSelfAppend(info, root, rhs)
		}
		return false
	}
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				break
			}
			for i, lhs := range n.Lhs {
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
				}
				if !okWrite(lhs, n.Tok, rhs) {
					ok = false
				}
			}
		case *ast.IncDecStmt:
			ok = okWrite(n.X, n.Tok, nil)
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e != nil && !okWrite(e, token.ASSIGN, nil) {
						ok = false
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false // a channel shared across iterations orders them
			}
		case *ast.SendStmt:
			ok = false
		case *ast.CallExpr:
			ok = !sharedMutation(info, eff, loop, n, inside, deps)
		}
		return ok
	})
	return ok
}

// rootOf returns the variable at the base of an assignment target (x in
// x.f[i].g) and whether some index on the way is iteration-dependent.
func rootOf(info *types.Info, e ast.Expr, deps map[types.Object]bool) (*types.Var, bool) {
	indexed := false
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			if x.Name == "_" {
				return types.NewVar(token.NoPos, nil, "_", nil), indexed
			}
			v, _ := info.ObjectOf(x).(*types.Var)
			return v, indexed
		case *ast.IndexExpr:
			if mentions(info, x.Index, deps) {
				indexed = true
			}
			e = x.X
		case *ast.SelectorExpr:
			if sel := info.Selections[x]; sel == nil || sel.Kind() != types.FieldVal {
				return nil, false // a qualified package variable
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil, false
		}
	}
}

// isSelfAppend reports whether rhs is append(v, ...).
func isSelfAppend(info *types.Info, v *types.Var, rhs ast.Expr) bool {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || info.Uses[id] != types.Universe.Lookup("append") {
		return false
	}
	first, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	return ok && info.Uses[first] == v
}

// sharedMutation reports whether call may change an object that outlives
// the iteration in an order-sensitive way: a pointer-receiver or interface
// method of a variable declared outside the loop, or a writer declared
// outside the loop passed as an argument (w.Write, h.Write, io.Copy(dst, ...),
// fmt.Fprintf(w, ...)). Writes to standard output and error are allowed:
// their order is cosmetic and the rewrite keeps per-iteration results.
func sharedMutation(info *types.Info, eff map[*types.Func]bool, loop ast.Node, call *ast.CallExpr, inside func(types.Object) bool, deps map[types.Object]bool) bool {
	fn := typeutil.StaticCallee(info, call)
	if fn != nil {
		if _, isIO := ioCalls[fn.FullName()]; isIO {
			return false
		}
		if eff[fn.Origin()] {
			return true // writes package state, uses channels or goroutines
		}
	}
	if fn != nil && fn.Pkg() != nil && !readOnlyPkgs[fn.Pkg().Path()] && sharesState(info, loop, call) {
		return true // the callee may change what it is given
	}
	outer := func(e ast.Expr) bool {
		root, _ := rootOf(info, e, nil)
		return root != nil && root.Name() != "_" && !inside(root)
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal && outer(sel.X) {
			recv := s.Recv()
			_, isIface := recv.Underlying().(*types.Interface)
			_, ptrRecv := s.Obj().(*types.Func).Signature().Recv().Type().(*types.Pointer)
			if (isIface || ptrRecv) && !readOnlyReceivers[typeName(recv)] {
				return true
			}
		}
	}
	for _, a := range call.Args {
		if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
			// &v lets the callee write v: shared unless v belongs to the
			// iteration (declared in the loop or an element it owns).
			root, own := rootOf(info, u.X, deps)
			if root != nil && root.Name() != "_" && !inside(root) && !own {
				return true
			}
		}
		if isStdStream(info, a) && fn != nil && fn.Pkg() != nil && (fn.Pkg().Path() == "fmt" || fn.Pkg().Path() == "log") {
			continue // fmt.Fprintln(os.Stderr, ...): cosmetic order
		}
		if t := info.TypeOf(a); t != nil && isWriter(t) && outer(a) {
			return true
		}
		if t := info.TypeOf(a); t != nil && isWriter(t) && isPkgVar(info, a) {
			return true
		}
	}
	return false
}

func typeName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
		return n.Obj().Pkg().Path() + "." + n.Obj().Name()
	}
	return ""
}

func isWriter(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Write")
	_, ok := obj.(*types.Func)
	return ok
}

func isStdStream(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && (v.Name() == "Stdout" || v.Name() == "Stderr")
}

func isPkgVar(info *types.Info, e ast.Expr) bool {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && !v.IsField() && astutil.PackageLevel(v)
}
