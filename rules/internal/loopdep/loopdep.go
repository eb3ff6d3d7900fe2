// Package loopdep decides whether the iterations of a for or range loop are
// independent, so that advice can recommend running them concurrently, and
// if they are not, says why in a phrase fit for a diagnostic.
//
// The analysis works on syntax plus types (no SSA): it looks at the loop's
// header and body, and follows static calls into the functions declared in
// the same package (to a bounded depth, cycle-safe) for their side effects.
// It is conservative where it must be: a write to memory it cannot name, a
// method called through an interface on a value shared by the iterations,
// or a reference to shared state passed to a function of another module
// makes the loop Dependent. Known-pure standard-library functions, read-only
// packages (fmt, strings, strconv, ...), clients that are safe for
// concurrent use (*http.Client, *sql.DB, ...) and independent I/O
// (http.Get, os.ReadFile, ...) do not.
//
// A verdict is the strongest finding: Dependent over Ordered over Reduction
// over Independent. Every ordered effect and every reduction found is
// listed in the Result, whatever the verdict, so that callers can apply
// their own policy (sequentialio, say, accepts output in order but not a
// process exit on an error path).
package loopdep

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	xastutil "golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"
)

// Verdict classifies a loop's iterations.
type Verdict int

const (
	// Independent iterations can run in any order, concurrently.
	Independent Verdict = iota
	// Reduction iterations are independent except for recognised
	// reductions of variables declared outside the loop (see
	// Result.Reductions): compute per-worker partials, then combine.
	Reduction
	// Ordered iterations compute independently but have a side effect
	// whose order is visible (see Result.Orders): compute concurrently,
	// keep results by index, apply the effects in order afterwards.
	Ordered
	// Dependent iterations must run one after another; Result.Reason says
	// why.
	Dependent
)

func (v Verdict) String() string {
	switch v {
	case Independent:
		return "independent"
	case Reduction:
		return "reduction"
	case Ordered:
		return "ordered"
	case Dependent:
		return "dependent"
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// ReductionVar is one recognised reduction of a variable declared outside the
// loop. Op is the combining operator: token.ADD (+=, -=, ++, --, x = x + e),
// token.MUL, token.OR, token.AND, token.XOR, or token.GTR for a maximum and
// token.LSS for a minimum (max(m, v), if v > m { m = v }).
type ReductionVar struct {
	Var *types.Var
	Op  token.Token
	Pos token.Pos // the first reducing statement
}

// OpString renders the operator: "+", "*", "|", "&", "^", "max" or "min".
func (r ReductionVar) OpString() string {
	switch r.Op {
	case token.GTR:
		return "max"
	case token.LSS:
		return "min"
	}
	return r.Op.String()
}

// OrderKind says what an ordered side effect is.
type OrderKind int

const (
	// Output is printing to standard output or error (fmt.Print*,
	// fmt.Fprint*(os.Stdout, ...), log.Print*, os.Stdout.Write), directly
	// or in a same-package callee.
	Output OrderKind = iota
	// Writer is writing to an io.Writer (file, buffer, hash, bufio.Writer)
	// shared by the iterations.
	Writer
	// Append is out = append(out, ...) on a slice declared outside the loop
	// and not otherwise read in it.
	Append
	// Send is a send on a channel declared outside the loop.
	Send
	// ErrorExit is a return, break or program exit (log.Fatal(err)) in the
	// loop body taken only when an error is not nil: run concurrently, a
	// different error may win and later iterations run.
	ErrorExit
	// Exit is os.Exit, log.Fatal*, log.Panic* or panic in a same-package
	// callee, or in the loop body other than under an err != nil test:
	// concurrently, a different failure would end the program, after other
	// iterations' effects.
	Exit
	// LastValue is a variable declared outside the loop that iterations
	// overwrite without reading what an earlier iteration left: after the
	// loop it holds the last iteration's value.
	LastValue
	// Keyed is a write to a map declared outside the loop at a key that is
	// the iteration's own (m[i] = v, i the range key or loop counter): the
	// keys are distinct, but the map must be written by one goroutine.
	Keyed
)

var orderNames = [...]string{"output", "writer", "append", "send", "error exit", "exit", "last value", "keyed"}

func (k OrderKind) String() string {
	if int(k) < len(orderNames) {
		return orderNames[k]
	}
	return fmt.Sprintf("OrderKind(%d)", int(k))
}

// Order is one side effect whose order across iterations is visible.
type Order struct {
	Kind   OrderKind
	Pos    token.Pos
	Reason string
}

// Result is the verdict on one loop.
type Result struct {
	Verdict Verdict
	// Reason is a short phrase for advice: why the loop is Dependent, or
	// the first ordered effect, or the reductions; "" when Independent
	// (unless AlreadyConcurrent).
	Reason string
	// Pos is where the reason was found (token.NoPos when Independent).
	Pos token.Pos
	// Reductions lists the recognised reductions, in source order.
	Reductions []ReductionVar
	// Orders lists the ordered side effects, in the order found.
	Orders []Order
	// AlreadyConcurrent is Spawns || InGoroutine: do not suggest
	// goroutines again.
	AlreadyConcurrent bool
	// Spawns reports that the loop starts goroutines itself (go
	// statements, g.Go(...), or a same-package callee that does).
	Spawns bool
	// InGoroutine reports that the loop is in a function literal started
	// as a goroutine (go func() {...}(), g.Go(func() error {...})).
	InGoroutine bool
	// Scratch lists byte slices declared outside the loop that iterations
	// only read into (f.Read(buf)); concurrently, each worker needs its own.
	Scratch []*types.Var
}

// Has reports whether r lists an ordered effect of kind k.
func (r Result) Has(k OrderKind) bool {
	for _, o := range r.Orders {
		if o.Kind == k {
			return true
		}
	}
	return false
}

// Analyzer analyzes the loops of one type-checked package and caches what
// it learns about the package's functions. It is not safe for concurrent
// use.
type Analyzer struct {
	info      *types.Info
	pkg       *types.Package
	files     []*ast.File
	decls     map[*types.Func]*ast.FuncDecl
	summaries map[*types.Func]*summary
}

// New returns an Analyzer for the package pkg made of files.
func New(info *types.Info, pkg *types.Package, files []*ast.File) *Analyzer {
	a := &Analyzer{info: info, pkg: pkg, files: files,
		decls: make(map[*types.Func]*ast.FuncDecl), summaries: make(map[*types.Func]*summary)}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
					a.decls[fn] = fd
				}
			}
		}
	}
	return a
}

// Analyze is New(info, pkg, files).Loop(loop), for a single question.
func Analyze(info *types.Info, pkg *types.Package, files []*ast.File, loop ast.Stmt) Result {
	return New(info, pkg, files).Loop(loop)
}

// Loop analyzes loop, an *ast.ForStmt or *ast.RangeStmt of one of the
// Analyzer's files (any other statement is Independent).
func (a *Analyzer) Loop(loop ast.Stmt) Result {
	w := &walker{a: a, info: a.info, loop: loop, unique: map[*types.Var]bool{},
		vars: map[*types.Var]*varUse{}, alias: map[*types.Var]ref{}, owned: map[*ast.Ident]bool{},
		labels: map[string]bool{}, skip: map[ast.Node]bool{}, written: map[*types.Var]map[string]bool{}}
	var inGo bool
	w.label, inGo = a.context(loop)
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.ForStmt:
		body = l.Body
		w.forHeader(l)
	case *ast.RangeStmt:
		body = l.Body
		w.rangeHeader(l)
	default:
		return Result{}
	}
	w.body = body
	w.collectLabels(body)
	w.walk(body)
	w.carried()
	w.crossReads()
	r := w.result()
	r.Spawns, r.InGoroutine = r.AlreadyConcurrent, inGo
	if inGo && !r.AlreadyConcurrent {
		r.AlreadyConcurrent = true
		if r.Verdict == Independent {
			r.Reason = "the loop already runs in a goroutine"
		}
	}
	return r
}

// context returns the label of loop ("" if none) and whether the loop runs
// inside a function literal that is started as a goroutine (go func() {...}()
// or g.Go(func() error {...})) within its enclosing function.
func (a *Analyzer) context(loop ast.Stmt) (label string, inGoroutine bool) {
	for _, f := range a.files {
		if f.Pos() > loop.Pos() || loop.End() > f.End() {
			continue
		}
		path, _ := xastutil.PathEnclosingInterval(f, loop.Pos(), loop.End())
		for i, n := range path {
			if n == loop && i+1 < len(path) {
				if l, ok := path[i+1].(*ast.LabeledStmt); ok {
					label = l.Label.Name
				}
			}
			lit, ok := n.(*ast.FuncLit)
			if !ok || i+1 >= len(path) {
				continue
			}
			call, ok := path[i+1].(*ast.CallExpr)
			if !ok {
				break
			}
			if i+2 < len(path) {
				if g, ok := path[i+2].(*ast.GoStmt); ok && g.Call == call && call.Fun == lit {
					return label, true
				}
			}
			if fn, ok := typeutil.Callee(a.info, call).(*types.Func); ok && fn.Name() == "Go" && fn.Signature().Recv() != nil {
				return label, true
			}
			break
		}
		return label, false
	}
	return "", false
}

// closureOf returns the function literal v is defined as (v := func...
// or var v = func...) when v is never assigned again, or nil.
func (a *Analyzer) closureOf(v *types.Var) *ast.FuncLit {
	var lit *ast.FuncLit
	assigned := false
	for _, f := range a.files {
		if f.Pos() > v.Pos() || v.Pos() >= f.End() {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					id, ok := ast.Unparen(l).(*ast.Ident)
					if !ok || a.info.ObjectOf(id) != v {
						continue
					}
					if fl, ok := n.Rhs[min(i, len(n.Rhs)-1)].(*ast.FuncLit); ok && n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
						lit = fl
					} else {
						assigned = true
					}
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if a.info.Defs[name] == v && i < len(n.Values) {
						if fl, ok := n.Values[i].(*ast.FuncLit); ok {
							lit = fl
						}
					}
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && a.info.Uses[id] == v {
					assigned = true
				}
			}
			return true
		})
	}
	if assigned {
		return nil
	}
	return lit
}

// walker holds the state of one loop's analysis.
type walker struct {
	a     *Analyzer
	info  *types.Info
	loop  ast.Stmt
	body  *ast.BlockStmt
	label string

	// unique holds the variables that take a distinct value in each
	// iteration: the range key, the counter of a counting for clause.
	unique map[*types.Var]bool
	// counters are the for clause's stepped variables (the body must not
	// write them).
	counters map[*types.Var]bool
	// vars records the uses of outer local variables in the body.
	vars map[*types.Var]*varUse
	// varOrder lists vars' keys in the order first seen.
	varOrder []*types.Var
	// alias maps variables declared in the loop to the outer memory their
	// initializer refers to (row := grid[k]).
	alias map[*types.Var]ref
	// owned holds identifiers consumed by a recognised reduction or append.
	owned map[*ast.Ident]bool

	// written maps outer slices and arrays the body writes at the
	// iteration's own index to the index expressions used; reads holds the
	// index expressions the body reads them at.
	written map[*types.Var]map[string]bool
	reads   []indexRead
	// closures are function literals, declared outside the loop and
	// assigned to local variables, that the loop calls: their bodies are
	// walked as if inlined.
	closures []*ast.FuncLit
	// labels holds the labels declared in the body.
	labels map[string]bool
	// skip holds statements consumed by a recognised pattern.
	skip map[ast.Node]bool
	// stack holds the nodes enclosing the one being visited.
	stack []ast.Node
	// header is set while walking the for clause's condition.
	header bool

	res     Result
	haveDep bool
}

func (w *walker) result() Result {
	r := w.res
	if !w.haveDep {
		switch {
		case len(r.Orders) > 0:
			o := r.Orders[0]
			for _, k := range []OrderKind{Exit, Send, Writer} {
				if i := slices.IndexFunc(r.Orders, func(o Order) bool { return o.Kind == k }); i >= 0 {
					o = r.Orders[i]
					break
				}
			}
			r.Verdict, r.Reason, r.Pos = Ordered, o.Reason, o.Pos
		case len(r.Reductions) > 0:
			r.Verdict, r.Pos = Reduction, r.Reductions[0].Pos
			var parts []string
			for _, red := range r.Reductions {
				parts = append(parts, red.Var.Name()+" with "+red.OpString())
			}
			r.Reason = "reduces " + strings.Join(parts, ", ")
		case r.AlreadyConcurrent:
			r.Reason = "the loop already starts a goroutine per item"
		}
	}
	sort.SliceStable(r.Reductions, func(i, j int) bool { return r.Reductions[i].Pos < r.Reductions[j].Pos })
	return r
}

// dep records the first reason the loop is Dependent.
func (w *walker) dep(pos token.Pos, format string, args ...any) {
	if w.haveDep {
		return
	}
	w.haveDep = true
	w.res.Verdict, w.res.Pos, w.res.Reason = Dependent, pos, fmt.Sprintf(format, args...)
}

// order records an ordered side effect.
func (w *walker) order(k OrderKind, pos token.Pos, format string, args ...any) {
	w.res.Orders = append(w.res.Orders, Order{Kind: k, Pos: pos, Reason: fmt.Sprintf(format, args...)})
}

// inside reports whether obj is declared in the loop (its header included).
func (w *walker) inside(obj types.Object) bool {
	if obj.Pos() >= w.loop.Pos() && obj.Pos() < w.loop.End() {
		return true
	}
	for _, lit := range w.closures {
		if obj.Pos() >= lit.Pos() && obj.Pos() < lit.End() {
			return true // a local of a closure the loop calls
		}
	}
	return false
}

// header examines a for clause: counters, condition and post statement.
func (w *walker) forHeader(l *ast.ForStmt) {
	w.counters = map[*types.Var]bool{}
	if as, ok := l.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && l.Post != nil {
		for _, lhs := range as.Lhs {
			if v := w.varOf(lhs); v != nil && steps(w.info, l.Post, v) {
				w.counters[v] = true
				w.unique[v] = true
			}
		}
	}
	if l.Post != nil && len(w.counters) == 0 {
		if v, next := walkStep(w.info, l.Post); v != nil {
			w.dep(l.Post.Pos(), "the loop walks a linked list (%s = %s)", v.Name(), next)
		} else {
			w.dep(l.Post.Pos(), "each iteration starts from the state the previous one's post statement left")
		}
	}
	if l.Cond == nil && !w.haveDep {
		w.dep(l.Pos(), "the loop has no condition: it runs until the body leaves it")
	}
	if l.Cond != nil {
		w.header = true
		w.walk(l.Cond)
		w.header = false
	}
}

// rangeHeader examines what a range statement ranges over.
func (w *walker) rangeHeader(l *ast.RangeStmt) {
	w.walk(l.X)
	switch t := w.info.TypeOf(l.X).Underlying().(type) {
	case *types.Chan:
		w.dep(l.X.Pos(), "the loop receives from channel %s one value at a time", types.ExprString(l.X))
		return
	case *types.Signature:
		w.dep(l.X.Pos(), "the loop ranges over an iterator function, whose state and order are unknown")
		return
	case *types.Pointer, *types.Slice, *types.Array, *types.Map, *types.Basic:
		_ = t
	}
	if l.Tok == token.DEFINE {
		if v := w.varOf(l.Key); v != nil {
			w.unique[v] = true
		}
		return
	}
	for _, e := range []ast.Expr{l.Key, l.Value} {
		if e != nil {
			w.assignTo(e, token.ASSIGN, nil)
		}
	}
}

// steps reports whether post is v++, v--, v += e or v -= e.
func steps(info *types.Info, post ast.Stmt, v *types.Var) bool {
	switch p := post.(type) {
	case *ast.IncDecStmt:
		id, ok := ast.Unparen(p.X).(*ast.Ident)
		return ok && info.Uses[id] == v
	case *ast.AssignStmt:
		if len(p.Lhs) != 1 || (p.Tok != token.ADD_ASSIGN && p.Tok != token.SUB_ASSIGN) {
			return false
		}
		id, ok := ast.Unparen(p.Lhs[0]).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	return false
}

// walkStep recognises n = n.next (in a post statement or the body) and
// returns n and the rendered right-hand side.
func walkStep(info *types.Info, s ast.Stmt) (*types.Var, string) {
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return nil, ""
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return nil, ""
	}
	v, _ := info.Uses[id].(*types.Var)
	sel, ok := ast.Unparen(as.Rhs[0]).(*ast.SelectorExpr)
	if v == nil || !ok {
		return nil, ""
	}
	if x, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[x] == v {
		return v, types.ExprString(as.Rhs[0])
	}
	return nil, ""
}

func (w *walker) varOf(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	v, _ := w.info.ObjectOf(id).(*types.Var)
	return v
}
