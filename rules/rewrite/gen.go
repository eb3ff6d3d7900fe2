package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/loopdep"
)

// hoist is an expression of an in-order statement computed concurrently
// instead: its value is kept by index and read in order.
type hoist struct {
	expr  ast.Expr
	slice string
	typ   string
}

// capture is a variable the concurrent part declares and the in-order
// part reads: kept by index.
type capture struct {
	obj   types.Object
	slice string
	typ   string
}

// split decides what runs concurrently: the whole body when the
// iterations are independent, or when they reduce into variables and the
// workers keep partial results; else the statements before the first
// ordered effect or reduction, with the rest run afterwards in order.
func (pl *plan) split() error {
	res := pl.res
	if res.Verdict == loopdep.Independent {
		return nil
	}
	if res.Verdict == loopdep.Reduction && pl.form == workerPool {
		for _, r := range res.Reductions {
			if b, ok := r.Var.Type().Underlying().(*types.Basic); ok && b.Info()&(types.IsFloat|types.IsComplex) != 0 && (r.Op == token.ADD || r.Op == token.MUL) {
				return noMatch(fmt.Sprintf("%s is a floating-point %s: combining partial results in another order changes its rounding", r.Var.Name(), map[token.Token]string{token.ADD: "sum", token.MUL: "product"}[r.Op]))
			}
		}
		pl.partials = true
		return nil
	}
	var poss []token.Pos
	var whys []string
	for _, o := range res.Orders {
		poss, whys = append(poss, o.Pos), append(whys, o.Reason)
	}
	for _, r := range res.Reductions {
		poss, whys = append(poss, r.Pos), append(whys, "reduces "+r.Var.Name())
	}
	start := len(pl.body.List)
	for k, pos := range poss {
		i := pl.stmtAt(pos)
		if i < 0 {
			return noMatch(fmt.Sprintf("%s, outside the loop body (line %d)", whys[k], pl.p.line(pos)))
		}
		start = min(start, i)
	}
	// An error guard that reports the item and skips it does not end the
	// concurrent part: its skip runs there, its report in order.
	for start < len(pl.body.List) && pl.guard(start) {
		next := len(pl.body.List)
		for _, pos := range poss {
			if i := pl.stmtAt(pos); i > start {
				next = min(next, i)
			}
		}
		if next == len(pl.body.List) || next == start+1 || pl.rewrites(pl.body.List[start], pl.body.List[start+1:next]) {
			break
		}
		pl.guards = append(pl.guards, start)
		start = next
	}
	pl.tailStart = start
	for _, v := range res.Scratch {
		if pl.usesObj(pl.body.List[start].Pos(), pl.body.Rbrace, v) || pl.inGuards(v, false) {
			return noMatch(fmt.Sprintf("%s is scratch space shared by the iterations, and the in-order part reads it", v.Name()))
		}
	}
	return nil
}

// guard reports whether body statement i is an error guard that reports
// the item and skips it: if cond { ...; continue } with no init and no
// else, a condition that calls nothing, a block that only calls and
// assigns (log.Print(err), failed = true) and leaves only by its final
// continue of this loop, and no continue of this loop before it outside
// earlier guards (an iteration skipped there must not replay the guard).
// Run concurrently, such an iteration stops at the guard; the in-order
// part replays the guard on the values kept by index, so the reports
// come out in the original order and nothing after them runs.
func (pl *plan) guard(i int) bool {
	info := pl.p.Info
	ifs, ok := pl.body.List[i].(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) == 0 || hasCall(info, ifs.Cond, func(*types.Func) bool { return false }) {
		return false
	}
	last, ok := ifs.Body.List[len(ifs.Body.List)-1].(*ast.BranchStmt)
	if !ok || last.Tok != token.CONTINUE || last.Label != nil && last.Label.Name != pl.label {
		return false
	}
	for _, s := range ifs.Body.List[:len(ifs.Body.List)-1] {
		switch s.(type) {
		case *ast.ExprStmt, *ast.AssignStmt, *ast.IncDecStmt:
		default:
			return false
		}
		leaves := false
		ast.Inspect(s, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.FuncLit, *ast.BranchStmt, *ast.ReturnStmt:
				leaves = true
			}
			return !leaves
		})
		if leaves {
			return false
		}
	}
	for _, o := range pl.res.Orders {
		if (o.Kind == loopdep.Exit || o.Kind == loopdep.Send) && ifs.Pos() <= o.Pos && o.Pos < ifs.End() {
			return false // an exit or a send is not a report
		}
	}
	for _, c := range pl.continues(pl.body.Lbrace, ifs.Pos()) {
		if !slices.ContainsFunc(pl.guards, func(g int) bool {
			return pl.body.List[g].Pos() <= c.Pos() && c.End() <= pl.body.List[g].End()
		}) {
			return false
		}
	}
	return true
}

// rewrites reports whether the statements after a guard, which would run
// concurrently, assign a variable the guard reads: the in-order replay
// would then see the later value.
func (pl *plan) rewrites(g ast.Stmt, after []ast.Stmt) bool {
	for v := range freeVars(pl.p.Info, g) {
		if pl.rewritesVar(v, after) {
			return true
		}
	}
	return false
}

// rewritesVar reports whether the statements after assign v.
func (pl *plan) rewritesVar(v *types.Var, after []ast.Stmt) bool {
	info := pl.p.Info
	w := writes(info, &ast.BlockStmt{List: after})
	for _, s := range after {
		ast.Inspect(s, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
				for _, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok && info.Defs[id] == nil {
						if v, ok := info.Uses[id].(*types.Var); ok {
							w[v] = true // x, err := f() reusing err
						}
					}
				}
			}
			return true
		})
	}
	return w[v]
}

// inGuards reports whether a guard refers to obj (only in its condition,
// with condOnly).
func (pl *plan) inGuards(obj types.Object, condOnly bool) bool {
	for _, g := range pl.guards {
		n := ast.Node(pl.body.List[g])
		if condOnly {
			n = n.(*ast.IfStmt).Cond
		}
		if pl.usesObj(n.Pos(), n.End(), obj) {
			return true
		}
	}
	return false
}

// keptAtGuard reports whether the last guard before prefixEnd already
// kept obj by index and nothing after it, up to prefixEnd, assigns obj.
func (pl *plan) keptAtGuard(obj types.Object, prefixEnd token.Pos) bool {
	if len(pl.guards) == 0 {
		return false
	}
	g := pl.body.List[pl.guards[len(pl.guards)-1]]
	v, ok := obj.(*types.Var)
	if !ok || obj.Pos() >= g.Pos() {
		return false
	}
	var after []ast.Stmt
	for _, s := range pl.body.List {
		if s.Pos() >= g.End() && s.End() <= prefixEnd {
			after = append(after, s)
		}
	}
	return !pl.rewritesVar(v, after)
}

// inGuardBody reports whether pos is in the block of a guard.
func (pl *plan) inGuardBody(pos token.Pos) bool {
	for _, g := range pl.guards {
		b := pl.body.List[g].(*ast.IfStmt).Body
		if b.Pos() <= pos && pos < b.End() {
			return true
		}
	}
	return false
}

// stmtAt returns the index of the body's statement containing pos, or -1.
func (pl *plan) stmtAt(pos token.Pos) int {
	for i, s := range pl.body.List {
		if s.Pos() <= pos && pos < s.End() {
			return i
		}
	}
	return -1
}

// hoists finds the expensive expressions of the in-order statements that
// may run concurrently: the arguments of a call statement, the appended
// values of out = append(out, ...), the right side of s += e or m[k] = e;
// each must call
// a function, have no ordered effect inside it, and read nothing the
// in-order part writes or declares.
func (pl *plan) hoists() ([]hoist, error) {
	info := pl.p.Info
	tail := &ast.BlockStmt{List: pl.body.List[pl.tailStart:]}
	written := writes(info, tail)
	declared := map[*types.Var]bool{}
	ast.Inspect(tail, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.Defs[id].(*types.Var); ok {
				declared[v] = true
			}
		}
		return true
	})
	var effects []token.Pos
	for _, o := range pl.res.Orders {
		effects = append(effects, o.Pos)
	}
	var out []hoist
	try := func(e ast.Expr) error {
		if !hasCall(info, e, func(*types.Func) bool { return false }) {
			return nil
		}
		for _, pos := range effects {
			if e.Pos() <= pos && pos < e.End() {
				return nil
			}
		}
		for v := range freeVars(info, e) {
			if written[v] || declared[v] {
				return nil
			}
		}
		t := info.TypeOf(e)
		if t == nil {
			return nil
		}
		if _, tuple := t.(*types.Tuple); tuple {
			return nil
		}
		if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
			return nil
		}
		ts, err := pl.p.typeString(t, pl.f)
		if err != nil {
			return err
		}
		out = append(out, hoist{expr: e, slice: pl.fresh("results"), typ: ts})
		return nil
	}
	for _, s := range tail.List {
		var es []ast.Expr
		switch s := s.(type) {
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && call.Ellipsis == token.NoPos {
				es = call.Args
			}
		case *ast.AssignStmt:
			if len(s.Lhs) != 1 || len(s.Rhs) != 1 {
				break
			}
			call, _ := ast.Unparen(s.Rhs[0]).(*ast.CallExpr)
			var b *types.Builtin
			if call != nil {
				b, _ = calleeObj(info, call).(*types.Builtin)
			}
			if b != nil && b.Name() == "append" && s.Tok == token.ASSIGN {
				if call.Ellipsis == token.NoPos {
					es = call.Args[1:]
				}
			} else if s.Tok != token.DEFINE {
				es = s.Rhs // s op= e, m[k] = e, last = e
			}
		}
		for _, e := range es {
			if err := try(e); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// generate writes the rewrite.
func (pl *plan) generate() (*Rewrite, error) {
	p, info := pl.p, pl.p.Info
	end := pl.body.Rbrace
	var hoists []hoist
	var caps []capture
	prefixEnd := end
	if pl.tailStart >= 0 {
		prefixEnd = pl.body.List[pl.tailStart].Pos()
		var err error
		if hoists, err = pl.hoists(); err != nil {
			return nil, err
		}
		if pl.tailStart == 0 && len(hoists) == 0 {
			return nil, noMatch(fmt.Sprintf("nothing runs before the ordered effect at line %d (%s): there is no work to do concurrently", p.line(pl.body.List[0].Pos()), pl.res.Reason))
		}
		if len(hoists) == 0 && !hasCall(info, &ast.BlockStmt{List: pl.body.List[:pl.tailStart]}, func(*types.Func) bool { return false }) {
			// Copying loop variables concurrently measures only the cost
			// of the goroutines (jsonnetfmt: every call is after an exit).
			return nil, noMatch(fmt.Sprintf("nothing before the ordered effect at line %d (%s) calls a function: there is no work to do concurrently", p.line(pl.body.List[pl.tailStart].Pos()), pl.res.Reason))
		}
		// The concurrent part's variables that the in-order part reads.
		for _, s := range pl.body.List[:pl.tailStart] {
			for _, obj := range declares(info, s) {
				if !pl.usesObj(prefixEnd, end, obj) && !pl.inGuards(obj, false) {
					continue
				}
				ts, err := p.typeString(obj.Type(), pl.f)
				if err != nil {
					return nil, err
				}
				caps = append(caps, capture{obj: obj, slice: pl.fresh(obj.Name() + "s"), typ: ts})
			}
		}
	}
	start := pl.body.Lbrace + 1
	// The concurrent part: the prefix, then the hoisted expressions.
	inClosure := func(obj types.Object) bool {
		found := false
		ast.Inspect(pl.body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Pos() >= start && id.End() <= prefixEnd && info.Uses[id] == obj && !pl.inGuardBody(id.Pos()) {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
		for _, h := range hoists {
			if pl.usesObj(h.expr.Pos(), h.expr.End(), obj) {
				return true
			}
		}
		return false
	}
	var conts []*ast.BranchStmt
	for _, c := range pl.continues(start, prefixEnd) {
		if !pl.inGuardBody(c.Pos()) {
			conts = append(conts, c)
		}
	}
	dones := ""
	if pl.tailStart >= 0 && len(conts) > 0 {
		dones = pl.fresh("done")
	}
	skip := "continue"
	if pl.form == perItem {
		skip = "return"
		if p.HasErrgroup {
			skip = "return nil"
		}
	}
	var edits []edit
	if pl.form == perItem {
		for _, c := range conts {
			edits = append(edits, edit{pl.tf.Offset(c.Pos()), pl.tf.Offset(c.End()), skip})
		}
	}
	for _, gi := range pl.guards {
		// The guard keeps its skip; what it reports waits for the in-order
		// replay, which reads the values kept so far.
		g := pl.body.List[gi].(*ast.IfStmt)
		var l, r []string
		for _, c := range caps {
			if c.obj.Pos() < g.Pos() {
				l, r = append(l, c.slice+"["+pl.idx+"]"), append(r, c.obj.Name())
			}
		}
		keep := ""
		if len(l) > 0 {
			keep = fmt.Sprintf("%s = %s\n", strings.Join(l, ", "), strings.Join(r, ", "))
		}
		edits = append(edits, edit{pl.tf.Offset(g.Pos()), pl.tf.Offset(g.End()), fmt.Sprintf("%sif %s {\n%s\n}", keep, pl.text(g.Cond), skip)})
	}
	var work strings.Builder
	for _, bnd := range pl.bindings {
		if inClosure(bnd.obj) {
			fmt.Fprintf(&work, "%s := %s\n", bnd.name, bnd.expr)
		}
	}
	if pre := strings.TrimSpace(pl.source(start, prefixEnd, edits)); pre != "" {
		work.WriteString(pre + "\n")
	}
	for _, h := range hoists {
		fmt.Fprintf(&work, "%s[%s] = %s\n", h.slice, pl.idx, pl.text(h.expr))
	}
	if len(caps) > 0 {
		var l, r []string
		for _, c := range caps {
			if pl.keptAtGuard(c.obj, prefixEnd) {
				continue
			}
			l, r = append(l, c.slice+"["+pl.idx+"]"), append(r, c.obj.Name())
		}
		if len(l) > 0 {
			fmt.Fprintf(&work, "%s = %s\n", strings.Join(l, ", "), strings.Join(r, ", "))
		}
	}
	if dones != "" {
		fmt.Fprintf(&work, "%s[%s] = true\n", dones, pl.idx)
	}

	var b strings.Builder
	b.WriteString(pl.pre.String())
	for _, h := range hoists {
		fmt.Fprintf(&b, "%s := make([]%s, %s)\n", h.slice, h.typ, pl.n)
	}
	for _, c := range caps {
		fmt.Fprintf(&b, "%s := make([]%s, %s)\n", c.slice, c.typ, pl.n)
	}
	if dones != "" {
		fmt.Fprintf(&b, "%s := make([]bool, %s)\n", dones, pl.n)
	}
	scratch := ""
	for _, v := range pl.res.Scratch {
		ts, err := p.typeString(v.Type(), pl.f)
		if err != nil {
			return nil, err
		}
		scratch += fmt.Sprintf("%s := make(%s, len(%s), cap(%s)) // each goroutine reads into its own\n", v.Name(), ts, v.Name(), v.Name())
	}
	var how string
	var imports []string
	if pl.form == workerPool {
		imports = []string{"runtime", "sync"}
		how = "over runtime.GOMAXPROCS(0) workers"
		// Labels belong to a function: the worker's loop takes the label.
		labeled := pl.label != "" && pl.refersLabel(start, prefixEnd)
		if err := pl.workers(&b, work.String(), scratch, labeled); err != nil {
			return nil, err
		}
	} else {
		imports = []string{"sync"}
		how = fmt.Sprintf("in at most %d goroutines at once (a semaphore channel and a sync.WaitGroup)", GoroutineLimit)
		if p.HasErrgroup {
			imports = []string{"golang.org/x/sync/errgroup"}
			how = fmt.Sprintf("in at most %d goroutines at once (errgroup)", GoroutineLimit)
		}
		pl.perItem(&b, work.String(), scratch)
	}
	if pl.tailStart >= 0 {
		pl.tail(&b, hoists, caps, dones)
		how += ", then do what depends on the order in the original order"
	}
	if pl.partials {
		var names []string
		for _, r := range pl.res.Reductions {
			names = append(names, r.Var.Name())
		}
		how += ", each with partial results of " + strings.Join(names, ", ") + " combined after"
	}
	out, err := splice(p.Fset, pl.tf.Name(), pl.src, pl.tf.Offset(pl.stmt.Pos()), pl.tf.Offset(pl.stmt.End()), strings.TrimSuffix(b.String(), "\n"), imports...)
	if err != nil {
		return nil, err
	}
	kind, what := "workers", "spread the iterations of the loop at line %d "
	if pl.form == perItem {
		kind, what = "goroutines", "run the iterations of the loop at line %d "
	}
	return &Rewrite{Kind: kind, File: pl.tf.Name(), Old: pl.src, New: out, Concurrent: true,
		Message: fmt.Sprintf(what, p.line(pl.loop.Pos())) + how}, nil
}

// workers writes the worker pool: GOMAXPROCS goroutines range over a
// channel of indices, each with its own partial results.
func (pl *plan) workers(b *strings.Builder, work, scratch string, labeled bool) error {
	idx, wg := pl.fresh("indices"), pl.fresh("wg")
	fmt.Fprintf(b, "%s := make(chan %s)\nvar %s sync.WaitGroup\n", idx, pl.idxType, wg)
	count, w := "runtime.GOMAXPROCS(0)", ""
	var parts []string
	if pl.partials {
		count, w = pl.fresh("workers"), pl.fresh("w")
		fmt.Fprintf(b, "%s := runtime.GOMAXPROCS(0)\n", count)
		for _, r := range pl.res.Reductions {
			ts, err := pl.p.typeString(r.Var.Type(), pl.f)
			if err != nil {
				return err
			}
			part := pl.fresh(r.Var.Name() + "Parts")
			parts = append(parts, part)
			fmt.Fprintf(b, "%s := make([]%s, %s)\n", part, ts, count)
		}
	}
	pl.loopHeader(b, w, "int", count)
	if w != "" && !pl.go122 {
		fmt.Fprintf(b, "%s := %s\n", w, w)
	}
	fmt.Fprintf(b, "%s.Add(1)\ngo func() {\ndefer %s.Done()\n%s", wg, wg, scratch)
	for _, r := range pl.res.Reductions {
		if !pl.partials {
			break
		}
		name := r.Var.Name()
		switch r.Op {
		case token.ADD, token.XOR:
			ts, _ := pl.p.typeString(r.Var.Type(), pl.f)
			fmt.Fprintf(b, "var %s %s // this worker's part\n", name, ts)
		case token.MUL:
			ts, _ := pl.p.typeString(r.Var.Type(), pl.f)
			fmt.Fprintf(b, "%s := %s(1) // this worker's part\n", name, ts)
		default: // idempotent: starting from the current value is harmless
			fmt.Fprintf(b, "%s := %s // this worker's part\n", name, name)
		}
	}
	label := ""
	if labeled {
		label = pl.label + ":\n"
	}
	fmt.Fprintf(b, "%sfor %s := range %s {\n%s}\n", label, pl.idx, idx, work)
	for i, r := range pl.res.Reductions {
		if pl.partials {
			fmt.Fprintf(b, "%s[%s] = %s\n", parts[i], w, r.Var.Name())
		}
	}
	b.WriteString("}()\n}\n")
	pl.loopHeader(b, pl.idx, pl.idxType, pl.over)
	fmt.Fprintf(b, "%s <- %s\n}\nclose(%s)\n%s.Wait()\n", idx, pl.idx, idx, wg)
	for i, r := range pl.res.Reductions {
		if !pl.partials {
			break
		}
		part, name := pl.fresh("part"), r.Var.Name()
		fmt.Fprintf(b, "for _, %s := range %s {\n", part, parts[i])
		switch r.Op {
		case token.GTR:
			fmt.Fprintf(b, "if %s > %s {\n%s = %s\n}\n", part, name, name, part)
		case token.LSS:
			fmt.Fprintf(b, "if %s < %s {\n%s = %s\n}\n", part, name, name, part)
		default:
			fmt.Fprintf(b, "%s %s= %s\n", name, r.Op, part)
		}
		b.WriteString("}\n")
	}
	return nil
}

// perItem writes a goroutine per iteration, GoroutineLimit at a time.
func (pl *plan) perItem(b *strings.Builder, work, scratch string) {
	copyVar := ""
	if !pl.go122 {
		copyVar = fmt.Sprintf("%s := %s // the closure needs this iteration's value\n", pl.idx, pl.idx)
	}
	if pl.p.HasErrgroup {
		g := pl.fresh("g")
		fmt.Fprintf(b, "var %s errgroup.Group\n%s.SetLimit(%d)\n", g, g, GoroutineLimit)
		pl.loopHeader(b, pl.idx, pl.idxType, pl.over)
		fmt.Fprintf(b, "%s%s.Go(func() error {\n%s%sreturn nil\n})\n}\n", copyVar, g, scratch, work)
		fmt.Fprintf(b, "_ = %s.Wait() // the iterations report their errors to the in-order part, or have none\n", g)
		return
	}
	sem, wg := pl.fresh("sem"), pl.fresh("wg")
	fmt.Fprintf(b, "%s := make(chan struct{}, %d)\nvar %s sync.WaitGroup\n", sem, GoroutineLimit, wg)
	pl.loopHeader(b, pl.idx, pl.idxType, pl.over)
	fmt.Fprintf(b, "%s%s.Add(1)\n%s <- struct{}{}\ngo func() {\ndefer func() {\n<-%s\n%s.Done()\n}()\n%s%s}()\n}\n%s.Wait()\n",
		copyVar, wg, sem, sem, wg, scratch, work, wg)
}

// tail writes the in-order part: the statements from the first ordered
// effect on, reading what the concurrent part kept by index.
func (pl *plan) tail(b *strings.Builder, hoists []hoist, caps []capture, dones string) {
	from, end := pl.body.List[pl.tailStart].Pos(), pl.body.Rbrace
	var edits []edit
	for _, h := range hoists {
		edits = append(edits, edit{pl.tf.Offset(h.expr.Pos()), pl.tf.Offset(h.expr.End()), h.slice + "[" + pl.idx + "]"})
	}
	src := pl.source(from, end, edits)
	if pl.label != "" && pl.refersLabel(from, end) {
		b.WriteString(pl.label + ":\n")
	}
	pl.loopHeader(b, pl.idx, pl.idxType, pl.over)
	if dones != "" && len(pl.guards) == 0 {
		fmt.Fprintf(b, "if !%s[%s] {\ncontinue\n}\n", dones, pl.idx)
	}
	for _, bnd := range pl.bindings {
		if pl.usesOutside(from, end, bnd.obj, hoists) || pl.inGuards(bnd.obj, false) {
			fmt.Fprintf(b, "%s := %s\n", bnd.name, bnd.expr)
		}
	}
	if len(caps) > 0 {
		var l, r []string
		for _, c := range caps {
			l, r = append(l, c.obj.Name()), append(r, c.slice+"["+pl.idx+"]")
		}
		fmt.Fprintf(b, "%s := %s\n", strings.Join(l, ", "), strings.Join(r, ", "))
	}
	// The guards' reports, in order; an iteration a guard stopped stops
	// here too, so the skip check of the other continues comes after.
	for _, g := range pl.guards {
		s := pl.body.List[g]
		b.WriteString(strings.TrimSpace(pl.source(s.Pos(), s.End(), nil)) + "\n")
	}
	if dones != "" && len(pl.guards) > 0 {
		fmt.Fprintf(b, "if !%s[%s] {\ncontinue\n}\n", dones, pl.idx)
	}
	b.WriteString(strings.TrimSpace(src))
	b.WriteString("\n}\n")
}

// refersLabel reports whether a branch statement in [from, to) names the
// loop's label.
func (pl *plan) refersLabel(from, to token.Pos) bool {
	found := false
	ast.Inspect(pl.body, func(n ast.Node) bool {
		if br, ok := n.(*ast.BranchStmt); ok && br.Label != nil && br.Label.Name == pl.label && br.Pos() >= from && br.End() <= to {
			found = true
		}
		return !found
	})
	return found
}

// declares returns the variables a statement of the body declares at its
// own level (v := ..., var v ...).
func declares(info *types.Info, s ast.Stmt) []types.Object {
	var out []types.Object
	add := func(id *ast.Ident) {
		if obj := info.Defs[id]; obj != nil {
			out = append(out, obj)
		}
	}
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					add(id)
				}
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			for _, sp := range gd.Specs {
				for _, id := range sp.(*ast.ValueSpec).Names {
					add(id)
				}
			}
		}
	}
	return out
}

// usesOutside is usesObj over [from, to) but outside the hoisted
// expressions (which the in-order part no longer evaluates).
func (pl *plan) usesOutside(from, to token.Pos, obj types.Object, hoists []hoist) bool {
	found := false
	ast.Inspect(pl.body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || id.Pos() < from || id.End() > to || pl.p.Info.Uses[id] != obj {
			return !found
		}
		for _, h := range hoists {
			if h.expr.Pos() <= id.Pos() && id.End() <= h.expr.End() {
				return true
			}
		}
		found = true
		return false
	})
	return found
}
