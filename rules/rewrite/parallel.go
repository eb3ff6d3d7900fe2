package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/loopdep"
)

// form is how a parallel rewrite runs the iterations.
type form int

const (
	// workerPool: runtime.GOMAXPROCS(0) goroutines take indices from a
	// channel (CPU-bound work).
	workerPool form = iota
	// perItem: a goroutine per iteration, at most GoroutineLimit at once
	// (errgroup, or a semaphore channel and a sync.WaitGroup): I/O.
	perItem
)

// plan is one parallel rewrite of one loop under construction.
type plan struct {
	p     *Package
	f     *ast.File
	fd    *ast.FuncDecl
	loop  ast.Stmt
	stmt  ast.Stmt // the loop, or the labeled statement around it
	body  *ast.BlockStmt
	src   []byte
	tf    *token.File
	res   loopdep.Result
	form  form
	go122 bool
	inner *types.Scope
	avoid map[string]bool
	label string

	// The iteration space, as a dense index idx in [0, n).
	pre      strings.Builder // statements before the loop (hoisted range operand, map keys)
	idx      string
	idxType  string
	n        string    // the number of iterations
	over     string    // what a go1.22 loop over the index ranges over: n, or a slice
	bindings []binding // loop variables declared from the index

	// The split of the body: statements [0, tailStart) run concurrently,
	// [tailStart, end) after them in the original order (-1: no tail).
	tailStart int
	// guards are the indices of error guards in [0, tailStart) that print
	// and skip the item (see guard): the concurrent part keeps only their
	// skip, the in-order part replays them whole before the rest.
	guards   []int
	partials bool // per-worker partial results of the reductions
}

// binding declares one loop variable from the dense index.
type binding struct {
	obj  types.Object
	name string
	expr string
}

func (pl *plan) text(n ast.Node) string {
	return string(pl.src[pl.tf.Offset(n.Pos()):pl.tf.Offset(n.End())])
}

func (pl *plan) fresh(name string) string {
	return fresh(pl.inner, pl.loop.Pos(), pl.avoid, name)
}

// parallel plans and generates the rewrite of loop in form fm.
func (p *Package) parallel(f *ast.File, fd *ast.FuncDecl, loop ast.Stmt, src []byte, tf *token.File, fm form) (*Rewrite, error) {
	scope := p.Info.Scopes[fd.Type]
	if scope == nil {
		return nil, noMatch("no scope for the function")
	}
	res := loopdep.New(p.Info, p.Types, p.Files).Loop(loop)
	switch {
	case res.Verdict == loopdep.Dependent:
		return nil, noMatch(res.Reason)
	case res.Spawns:
		return nil, noMatch(cmpStr(res.Reason, "the loop already starts goroutines"))
	case res.InGoroutine:
		return nil, noMatch("the loop already runs in a goroutine")
	}
	pl := &plan{p: p, f: f, fd: fd, loop: loop, stmt: loop, body: astutil.LoopBody(loop), src: src, tf: tf, res: res, form: fm,
		go122: p.goVersionOK(f), tailStart: -1, inner: scope.Innermost(loop.Pos()), avoid: identNames(fd)}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if l, ok := n.(*ast.LabeledStmt); ok && l.Stmt == loop {
			pl.stmt, pl.label = l, l.Label.Name
		}
		return pl.label == ""
	})
	if err := pl.space(); err != nil {
		return nil, err
	}
	if err := pl.split(); err != nil {
		return nil, err
	}
	if err := pl.leaves(); err != nil {
		return nil, err
	}
	return pl.generate()
}

func cmpStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// space turns the loop's header into a dense index: for i := 0; i < n;
// i++, range over an integer, a slice or array, or a map (its keys are
// collected first).
func (pl *plan) space() error {
	info := pl.p.Info
	pl.idxType = "int"
	switch l := pl.loop.(type) {
	case *ast.ForStmt:
		init, ok := l.Init.(*ast.AssignStmt)
		if !ok || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
			return noMatch("the loop is not for i := 0; i < n; i++")
		}
		id, _ := init.Lhs[0].(*ast.Ident)
		lit, _ := init.Rhs[0].(*ast.BasicLit)
		cond, ok := l.Cond.(*ast.BinaryExpr)
		post, ok2 := l.Post.(*ast.IncDecStmt)
		if id == nil || lit == nil || lit.Value != "0" || !ok || !ok2 || cond.Op != token.LSS || !sameVar(info, cond.X, id) || post.Tok != token.INC || !sameVar(info, post.X, id) {
			return noMatch("the loop is not for i := 0; i < n; i++")
		}
		if !types.Identical(info.Defs[id].Type(), types.Typ[types.Int]) {
			return noMatch("the loop counter is not an int")
		}
		if hasCall(info, cond.Y, func(*types.Func) bool { return false }) {
			return noMatch("the loop bound calls a function, once per iteration")
		}
		pl.idx, pl.n, pl.over = id.Name, pl.text(cond.Y), pl.text(cond.Y)
		return nil
	case *ast.RangeStmt:
		if l.Tok == token.ASSIGN {
			return noMatch("the loop assigns its variables to ones declared outside it")
		}
		key, _ := l.Key.(*ast.Ident)
		if key != nil && key.Name == "_" {
			key = nil
		}
		val, _ := l.Value.(*ast.Ident)
		if val != nil && val.Name == "_" {
			val = nil
		}
		over := pl.operand(l.X)
		switch t := info.TypeOf(l.X).Underlying().(type) {
		case *types.Basic:
			if t.Info()&types.IsInteger == 0 {
				return noMatch("the loop ranges over a string's runes")
			}
			if t.Info()&types.IsUntyped == 0 {
				ts, err := pl.p.typeString(info.TypeOf(l.X), pl.f)
				if err != nil {
					return err
				}
				pl.idxType = ts
			}
			pl.n, pl.over = over, over
			pl.idx = pl.keyName(key)
		case *types.Slice, *types.Array, *types.Pointer:
			if p, ok := t.(*types.Pointer); ok {
				if _, ok := p.Elem().Underlying().(*types.Array); !ok {
					return noMatch("the loop ranges over a pointer that is not to an array")
				}
			}
			pl.n, pl.over = "len("+over+")", over
			pl.idx = pl.keyName(key)
			if val != nil {
				pl.bindings = append(pl.bindings, binding{info.Defs[val], val.Name, over + "[" + pl.idx + "]"})
			}
		case *types.Map:
			kt, err := pl.p.typeString(t.Key(), pl.f)
			if err != nil {
				return err
			}
			keys, k := pl.fresh("keys"), pl.fresh("k")
			fmt.Fprintf(&pl.pre, "%s := make([]%s, 0, len(%s))\nfor %s := range %s {\n%s = append(%s, %s)\n}\n", keys, kt, over, k, over, keys, keys, k)
			pl.idx, pl.n, pl.over = pl.fresh("i"), "len("+keys+")", keys
			if key != nil {
				pl.bindings = append(pl.bindings, binding{info.Defs[key], key.Name, keys + "[" + pl.idx + "]"})
			}
			if val != nil {
				pl.bindings = append(pl.bindings, binding{info.Defs[val], val.Name, over + "[" + keys + "[" + pl.idx + "]]"})
			}
		default:
			return noMatch("the loop ranges over a channel or a function")
		}
		return nil
	}
	return noMatch("not a loop")
}

// keyName is the range key's name, or a fresh index when there is none.
func (pl *plan) keyName(key *ast.Ident) string {
	if key != nil {
		return key.Name
	}
	return pl.fresh("i")
}

// operand returns the source of a range operand the rewrite may evaluate
// more than once: a variable or field as it is, anything else hoisted into
// a variable before the loop.
func (pl *plan) operand(x ast.Expr) string {
	plain := true
	ast.Inspect(x, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.Ident, *ast.SelectorExpr, *ast.ParenExpr, *ast.BasicLit:
		case nil:
		default:
			plain = false
		}
		return plain
	})
	if plain {
		return pl.text(x)
	}
	v := pl.fresh("items")
	fmt.Fprintf(&pl.pre, "%s := %s\n", v, pl.text(x))
	return v
}

// leaves rejects bodies that leave the loop or defer to the end of the
// function: in a closure they would mean something else. loopdep calls
// such loops Dependent or lists the exits as ordered effects; this is the
// rewrite's own guard for the part that runs concurrently.
func (pl *plan) leaves() error {
	var why error
	inspectDepth(pl.body, func(n ast.Node, depth int) bool {
		if why != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.DeferStmt:
			why = noMatch(fmt.Sprintf("the loop body defers a call to the end of %s (line %d)", pl.fd.Name.Name, pl.p.line(n.Pos())))
		case *ast.ReturnStmt:
			if !pl.inTail(n) {
				why = noMatch(fmt.Sprintf("the loop body returns (line %d)", pl.p.line(n.Pos())))
			}
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Tok == token.BREAK && (n.Label != nil && n.Label.Name == pl.label || n.Label == nil && depth == 0 && !pl.inSwitch(n)) {
				if !pl.inTail(n) {
					why = noMatch(fmt.Sprintf("the loop body leaves the loop with %s (line %d)", n.Tok, pl.p.line(n.Pos())))
				}
			}
		}
		return true
	})
	return why
}

// inspectDepth walks root like ast.Inspect, skipping function literals,
// and tells f how many loops inside root enclose each node (0: the body's
// own statements). The nested loop statements themselves are not passed.
func inspectDepth(root ast.Node, f func(n ast.Node, depth int) bool) {
	depth := 0
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			depth++
			ast.Inspect(n, func(m ast.Node) bool {
				if m == n {
					return true
				}
				return visit(m)
			})
			depth--
			return false
		}
		return f(n, depth)
	}
	ast.Inspect(root, visit)
}

// inTail is replaced once the tail is known; before, nothing is in it.
func (pl *plan) inTail(n ast.Node) bool {
	return pl.tailStart >= 0 && n.Pos() >= pl.body.List[pl.tailStart].Pos()
}

// inSwitch reports whether a break sits in a switch or select of the body
// (whose break it is).
func (pl *plan) inSwitch(b *ast.BranchStmt) bool {
	found := false
	ast.Inspect(pl.body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			if b.Pos() >= n.Pos() && b.End() <= n.End() {
				found = true
			}
		case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
			return n == pl.body
		}
		return !found
	})
	return found
}

// continues returns the continue statements of the body that continue
// this loop.
func (pl *plan) continues(from, to token.Pos) []*ast.BranchStmt {
	var out []*ast.BranchStmt
	inspectDepth(pl.body, func(n ast.Node, depth int) bool {
		if n, ok := n.(*ast.BranchStmt); ok && n.Tok == token.CONTINUE && n.Pos() >= from && n.End() <= to &&
			(n.Label == nil && depth == 0 || n.Label != nil && n.Label.Name == pl.label) {
			out = append(out, n)
		}
		return true
	})
	return out
}

// edit is a replacement of src[from:to].
type edit struct {
	from, to int
	text     string
}

// source returns the text of the body statements [from, to) with edits
// applied.
func (pl *plan) source(from, to token.Pos, edits []edit) string {
	a, b := pl.tf.Offset(from), pl.tf.Offset(to)
	sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	var s strings.Builder
	at := a
	for _, e := range edits {
		if e.from < a || e.to > b || e.from < at {
			continue
		}
		s.Write(pl.src[at:e.from])
		s.WriteString(e.text)
		at = e.to
	}
	s.Write(pl.src[at:b])
	return s.String()
}

// usesObj reports whether the source range [from, to) of the body refers
// to obj.
func (pl *plan) usesObj(from, to token.Pos, obj types.Object) bool {
	found := false
	ast.Inspect(pl.body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Pos() >= from && id.End() <= to && pl.p.Info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// loopHeader writes a counting loop over the index as the module's
// language version allows: for v := range over (an integer or a slice),
// or before Go 1.22 for v := 0; v < n; v++.
func (pl *plan) loopHeader(b *strings.Builder, v, typ, over string) {
	n := over
	if over == pl.over {
		n = pl.n
	}
	switch {
	case pl.go122 && v == "":
		fmt.Fprintf(b, "for range %s {\n", over)
	case pl.go122:
		fmt.Fprintf(b, "for %s := range %s {\n", v, over)
	case v == "":
		v = pl.fresh("w")
		fallthrough
	default:
		if typ != "int" {
			fmt.Fprintf(b, "for %s := %s(0); %s < %s; %s++ {\n", v, typ, v, n, v)
		} else {
			fmt.Fprintf(b, "for %s := 0; %s < %s; %s++ {\n", v, v, n, v)
		}
	}
}
