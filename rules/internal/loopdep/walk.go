package loopdep

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// writeKind classifies a write of an outer variable by name.
type writeKind int

const (
	plainWrite  writeKind = iota // v = e, e not a recognised form
	reduceWrite                  // a reduction with op
	appendWrite                  // v = append(v, ...), s += "..." on strings
	walkWrite                    // v = v.next
)

type write struct {
	kind writeKind
	op   token.Token
	pos  token.Pos
}

// varUse records what the body does with one variable declared outside the
// loop (a local of the enclosing function, parameter or result).
type varUse struct {
	writes     []write
	reads      int  // reads not consumed by a recognised reduction or append
	headerRead bool // read in the for clause's condition
}

func (w *walker) use(v *types.Var) *varUse {
	u := w.vars[v]
	if u == nil {
		u = &varUse{}
		w.vars[v] = u
		w.varOrder = append(w.varOrder, v)
	}
	return u
}

// outerLocal reports whether v is a variable of the enclosing function
// declared outside the loop.
func (w *walker) outerLocal(v *types.Var) bool {
	return v != nil && !v.IsField() && !astutil.PackageLevel(v) && !w.inside(v) && v.Name() != "_"
}

func (w *walker) collectLabels(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		if l, ok := n.(*ast.LabeledStmt); ok {
			w.labels[l.Label.Name] = true
		}
		return true
	})
}

func (w *walker) walk(n ast.Node) {
	ast.Inspect(n, w.visit)
}

// visit is the ast.Inspect callback over the loop's body (and header
// expressions); it keeps w.stack of the enclosing nodes.
func (w *walker) visit(n ast.Node) bool {
	if n == nil {
		w.stack = w.stack[:len(w.stack)-1]
		return false
	}
	if !w.pre(n) {
		return false
	}
	w.stack = append(w.stack, n)
	return true
}

// pre handles one node before its children; false skips them.
func (w *walker) pre(n ast.Node) bool {
	if w.skip[n] {
		return false
	}
	switch n := n.(type) {
	case *ast.Ident:
		if v, ok := w.info.Uses[n].(*types.Var); ok && w.outerLocal(v) && !w.owned[n] {
			u := w.use(v)
			if w.header {
				u.headerRead = true
			} else {
				u.reads++
			}
		}
	case *ast.GoStmt:
		w.res.AlreadyConcurrent = true
		for _, arg := range n.Call.Args {
			w.walk(arg)
		}
		return false
	case *ast.ReturnStmt:
		if !w.inFuncLit() {
			w.exit(n, "the loop returns at the first result that matches")
		}
	case *ast.BranchStmt:
		w.branch(n)
	case *ast.AssignStmt:
		return w.assign(n)
	case *ast.IncDecStmt:
		w.assignTo(n.X, n.Tok, nil)
		if _, bare := ast.Unparen(n.X).(*ast.Ident); !bare {
			w.walk(n.X)
		}
		return false
	case *ast.RangeStmt:
		if n.Tok == token.ASSIGN {
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil {
					w.assignTo(e, token.ASSIGN, nil)
					if id, ok := ast.Unparen(e).(*ast.Ident); ok {
						w.owned[id] = true
					}
				}
			}
		}
	case *ast.IfStmt:
		w.minMax(n)
	case *ast.SendStmt:
		if r := w.refOf(n.Chan); r.root == nil || r.global || !w.inside(r.root) {
			w.order(Send, n.Pos(), "the loop sends on %s in iteration order", types.ExprString(n.Chan))
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW {
			if r := w.refOf(n.X); r.root == nil || r.global || !w.inside(r.root) {
				w.dep(n.Pos(), "the loop receives from the shared channel %s", types.ExprString(n.X))
			}
		}
	case *ast.IndexExpr:
		if r := w.refOf(n.X); r.root != nil && !r.global && !w.inside(r.root) && r.step == "" {
			w.reads = append(w.reads, indexRead{r.root, types.ExprString(n.Index), n.Pos()})
		}
	case *ast.CallExpr:
		return w.call(n)
	}
	return true
}

// indexRead is a read x[index] of an outer slice or array x.
type indexRead struct {
	v     *types.Var
	index string
	pos   token.Pos
}

// crossReads reports a dependence when the body reads an outer slice it
// writes at the iteration's own index at some other index (in-place
// prefix sums, stencils).
func (w *walker) crossReads() {
	for _, rd := range w.reads {
		if idx, ok := w.written[rd.v]; ok && !idx[rd.index] {
			w.dep(rd.pos, "iterations read %s[%s], which another iteration writes", rd.v.Name(), rd.index)
		}
	}
}

func (w *walker) inFuncLit() bool {
	for _, n := range w.stack {
		if _, ok := n.(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// exit records a way out of the loop: an ordered error exit when it is
// taken only if an error is not nil, else a dependence.
func (w *walker) exit(n ast.Node, reason string) {
	if w.errorGuarded() {
		w.order(ErrorExit, n.Pos(), "the loop stops at the first error (run concurrently, another error may win)")
		return
	}
	w.dep(n.Pos(), "%s", reason)
}

// errorGuarded reports whether the node being visited runs only in the body
// of an if whose condition tests an error against nil.
func (w *walker) errorGuarded() bool {
	for i, n := range w.stack {
		if ifs, ok := n.(*ast.IfStmt); ok && i+1 < len(w.stack) && w.stack[i+1] == ifs.Body && testsErr(w.info, ifs.Cond) {
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

func isError(t types.Type) bool { return t != nil && types.Identical(t, errorType) }

// branch handles break, continue and goto.
func (w *walker) branch(b *ast.BranchStmt) {
	if w.inFuncLit() {
		return
	}
	switch {
	case b.Tok == token.GOTO:
		if !w.labels[b.Label.Name] {
			w.exit(b, "the loop leaves with goto "+b.Label.Name)
		}
	case b.Label != nil:
		if w.labels[b.Label.Name] || (b.Label.Name == w.label && b.Tok == token.CONTINUE) {
			return
		}
		w.exit(b, "the loop stops ("+b.Tok.String()+" "+b.Label.Name+") at the first result that matches")
	case b.Tok == token.BREAK:
		for _, n := range w.stack {
			switch n.(type) {
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if n != w.loop {
					return // breaks an inner statement
				}
			}
		}
		w.exit(b, "the loop breaks at the first result that matches")
	}
}

// assign handles an assignment statement and reports whether to walk its
// children (it walks them itself).
func (w *walker) assign(as *ast.AssignStmt) bool {
	if as.Tok == token.DEFINE {
		if len(as.Lhs) == len(as.Rhs) {
			for i, lhs := range as.Lhs {
				if v := w.varOf(lhs); v != nil && refersToMemory(v.Type()) {
					if r := w.refOf(as.Rhs[i]); r.root != nil && (r.global || !w.inside(r.root)) {
						w.alias[v] = r
					}
				}
			}
		}
		for _, r := range as.Rhs {
			w.walk(r)
		}
		return false
	}
	for i, lhs := range as.Lhs {
		var rhs ast.Expr
		if len(as.Lhs) == len(as.Rhs) {
			rhs = as.Rhs[i]
		}
		if len(as.Lhs) > 1 {
			rhs = nil // a tuple: every write is plain
		}
		w.assignTo(lhs, as.Tok, rhs)
		if _, bare := ast.Unparen(lhs).(*ast.Ident); !bare {
			w.walk(lhs)
		}
	}
	for _, r := range as.Rhs {
		w.walk(r)
	}
	return false
}

// assignTo classifies a write of lhs (with tok, from rhs when known).
func (w *walker) assignTo(lhs ast.Expr, tok token.Token, rhs ast.Expr) {
	if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
		v, _ := w.info.ObjectOf(id).(*types.Var)
		switch {
		case v == nil || id.Name == "_":
		case astutil.PackageLevel(v):
			w.dep(lhs.Pos(), "iterations write the package variable %s", v.Name())
		case w.inside(v):
			if w.counters[v] && !w.header {
				w.dep(lhs.Pos(), "the body changes the loop variable %s", v.Name())
			}
		default:
			w.use(v).writes = append(w.use(v).writes, w.classify(v, tok, rhs, lhs.Pos()))
		}
		return
	}
	w.sharedWrite(lhs, lhs.Pos(), "")
}

// sharedWrite records a write through e (an element, field or pointee).
// what names the writing call ("" for an assignment).
func (w *walker) sharedWrite(e ast.Expr, pos token.Pos, what string) {
	r := w.refOf(e)
	prefix := "iterations write "
	if what != "" {
		prefix = "iterations call " + what + ", which writes "
	}
	switch {
	case r.root == nil:
		w.dep(pos, "%smemory shared through %s", prefix, types.ExprString(e))
	case r.global:
		w.dep(pos, "%sthe package variable %s", prefix, r.root.Name())
	case w.inside(r.root):
	case r.part:
		if ix, ok := ast.Unparen(e).(*ast.IndexExpr); ok && r.step == "index" {
			if w.varOf(ix.X) == r.root {
				if w.written[r.root] == nil {
					w.written[r.root] = map[string]bool{}
				}
				w.written[r.root][types.ExprString(ix.Index)] = true
			}
		}
	case r.keyed:
		w.order(Keyed, pos, "iterations write distinct keys of the shared map %s (keep one writer)", r.outer)
	case r.step == "map":
		w.dep(pos, "%sthe shared map %s", prefix, r.outer)
	case r.step == "index":
		w.dep(pos, "%selements of the shared %s at indices that may repeat", prefix, r.outer)
	case r.step == "field":
		w.dep(pos, "%sthe field %s of shared %s", prefix, r.field, r.outer)
	default:
		if _, isMap := r.root.Type().Underlying().(*types.Map); isMap {
			w.dep(pos, "%sthe shared map %s", prefix, r.outer)
			return
		}
		w.dep(pos, "%sthrough the shared %s", prefix, r.outer)
	}
}

// ref describes the memory an expression refers to.
type ref struct {
	root   *types.Var // the variable at its base; nil when unknown
	global bool       // root is a package variable
	part   bool       // some slice or array index on the way is the iteration's own
	keyed  bool       // some map key on the way is the iteration's own
	step   string     // the outermost step: "map", "index", "field", "deref" or "" (the variable)
	outer  string     // the expression the outermost step applies to
	field  string     // the field name, for step "field"
}

// refOf resolves e (x, x.f, x[i], *p, x[i:j] and combinations).
func (w *walker) refOf(e ast.Expr) ref {
	var r ref
	first := true
	setStep := func(step string, x ast.Expr) {
		if first {
			r.step, r.outer, first = step, types.ExprString(x), false
		}
	}
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, _ := w.info.ObjectOf(x).(*types.Var)
			if v == nil {
				return ref{}
			}
			if first {
				r.outer = x.Name
			}
			r.root, r.global = v, astutil.PackageLevel(v)
			if a, ok := w.alias[v]; ok {
				r.root, r.global, r.part, r.keyed = a.root, a.global, r.part || a.part, r.keyed || a.keyed
			}
			return r
		case *ast.IndexExpr:
			if _, isMap := w.info.TypeOf(x.X).Underlying().(*types.Map); isMap {
				setStep("map", x.X)
				r.keyed = r.keyed || w.uniqueIndex(x.Index)
			} else {
				setStep("index", x.X)
				r.part = r.part || w.uniqueIndex(x.Index)
			}
			e = x.X
		case *ast.SliceExpr:
			setStep("index", x.X)
			e = x.X
		case *ast.SelectorExpr:
			sel := w.info.Selections[x]
			if sel == nil {
				if v, ok := w.info.Uses[x.Sel].(*types.Var); ok {
					if first {
						r.outer = types.ExprString(x)
					}
					r.root, r.global = v, true
					return r
				}
				return ref{}
			}
			if sel.Kind() != types.FieldVal {
				return ref{}
			}
			if first {
				r.field = x.Sel.Name
			}
			setStep("field", x.X)
			e = x.X
		case *ast.StarExpr:
			setStep("deref", x.X)
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return ref{}
			}
			e = x.X
		default:
			return ref{}
		}
	}
}

// uniqueIndex reports whether e is the iteration's own: a unique variable,
// or one plus or minus a constant.
func (w *walker) uniqueIndex(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := w.info.Uses[x].(*types.Var)
		return v != nil && w.unique[v]
	case *ast.BinaryExpr:
		if x.Op != token.ADD && x.Op != token.SUB {
			return false
		}
		isConst := func(e ast.Expr) bool { return w.info.Types[e].Value != nil }
		return (w.uniqueIndex(x.X) && isConst(x.Y)) || (x.Op == token.ADD && isConst(x.X) && w.uniqueIndex(x.Y))
	}
	return false
}

// classify recognises reductions, appends and list walks of outer v.
func (w *walker) classify(v *types.Var, tok token.Token, rhs ast.Expr, pos token.Pos) write {
	plain := write{kind: plainWrite, pos: pos}
	num := isNumber(v.Type())
	switch tok {
	case token.INC, token.DEC:
		if num {
			return write{reduceWrite, token.ADD, pos}
		}
		return plain
	case token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN, token.OR_ASSIGN, token.AND_ASSIGN, token.XOR_ASSIGN:
		if rhs != nil && w.mentions(rhs, v) {
			return plain
		}
		if !num {
			if tok == token.ADD_ASSIGN && isString(v.Type()) {
				return write{appendWrite, token.ADD, pos}
			}
			return plain
		}
		op := map[token.Token]token.Token{token.ADD_ASSIGN: token.ADD, token.SUB_ASSIGN: token.ADD,
			token.MUL_ASSIGN: token.MUL, token.OR_ASSIGN: token.OR, token.AND_ASSIGN: token.AND, token.XOR_ASSIGN: token.XOR}[tok]
		return write{reduceWrite, op, pos}
	case token.ASSIGN:
	default:
		return plain
	}
	if rhs == nil {
		return plain
	}
	switch r := ast.Unparen(rhs).(type) {
	case *ast.BinaryExpr:
		var other ast.Expr
		var self *ast.Ident
		if id := w.identOf(r.X, v); id != nil {
			other, self = r.Y, id
		} else if id := w.identOf(r.Y, v); id != nil && r.Op != token.SUB {
			other, self = r.X, id
		}
		if self == nil || w.mentions(other, v) {
			return plain
		}
		op := r.Op
		if op == token.SUB {
			op = token.ADD
		}
		switch {
		case op == token.ADD && isString(v.Type()) && self == w.identOf(r.X, v):
			w.owned[self] = true
			return write{appendWrite, token.ADD, pos}
		case num && (op == token.ADD || op == token.MUL || op == token.OR || op == token.AND || op == token.XOR):
			w.owned[self] = true
			return write{reduceWrite, op, pos}
		}
	case *ast.CallExpr:
		id, ok := ast.Unparen(r.Fun).(*ast.Ident)
		if !ok || len(r.Args) == 0 {
			return plain
		}
		b, ok := w.info.Uses[id].(*types.Builtin)
		if !ok {
			return plain
		}
		var self *ast.Ident
		for i, arg := range r.Args {
			if s := w.identOf(arg, v); s != nil && self == nil && (b.Name() != "append" || i == 0) {
				self = s
			} else if w.mentions(arg, v) {
				return plain
			}
		}
		if self == nil {
			return plain
		}
		switch b.Name() {
		case "append":
			w.owned[self] = true
			return write{appendWrite, token.ADD, pos}
		case "max", "min":
			w.owned[self] = true
			op := token.GTR
			if b.Name() == "min" {
				op = token.LSS
			}
			return write{reduceWrite, op, pos}
		}
	case *ast.SelectorExpr:
		if w.identOf(r.X, v) != nil {
			return write{kind: walkWrite, pos: pos}
		}
	}
	return plain
}

// minMax recognises if e > m { m = e } (and <, >=, <=, either side) on an
// outer variable m, and records it as a reduction.
func (w *walker) minMax(ifs *ast.IfStmt) {
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) != 1 {
		return
	}
	as, ok := ifs.Body.List[0].(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return
	}
	v := w.varOf(as.Lhs[0])
	if v == nil || !w.outerLocal(v) || !isNumber(v.Type()) {
		return
	}
	val := types.ExprString(as.Rhs[0])
	var greater bool // whether the new value must be greater than m
	switch {
	case w.identOf(cond.Y, v) != nil && types.ExprString(cond.X) == val:
		greater = cond.Op == token.GTR || cond.Op == token.GEQ
	case w.identOf(cond.X, v) != nil && types.ExprString(cond.Y) == val:
		greater = cond.Op == token.LSS || cond.Op == token.LEQ
	default:
		return
	}
	switch cond.Op {
	case token.GTR, token.GEQ, token.LSS, token.LEQ:
	default:
		return
	}
	if w.mentions(as.Rhs[0], v) {
		return
	}
	op := token.LSS
	if greater {
		op = token.GTR
	}
	w.owned[w.identOf(cond.X, v)] = true
	w.owned[w.identOf(cond.Y, v)] = true
	w.use(v).writes = append(w.use(v).writes, write{reduceWrite, op, ifs.Pos()})
	w.skip[as] = true
	w.walk(as.Rhs[0])
}

func (w *walker) identOf(e ast.Expr, v *types.Var) *ast.Ident {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok && w.info.Uses[id] == v {
		return id
	}
	return nil
}

func (w *walker) mentions(n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && w.info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// carried decides, per outer variable the body writes, between a
// reduction, an ordered append or last value, and a loop-carried
// dependence.
func (w *walker) carried() {
	for _, v := range w.varOrder {
		u := w.vars[v]
		if len(u.writes) == 0 {
			continue
		}
		kinds := map[writeKind]bool{}
		ops := map[token.Token]bool{}
		walkPos := token.NoPos
		for _, wr := range u.writes {
			kinds[wr.kind] = true
			if wr.kind == reduceWrite {
				ops[wr.op] = true
			}
			if wr.kind == walkWrite {
				walkPos = wr.pos
			}
		}
		clean := u.reads == 0 && !u.headerRead
		switch {
		case clean && len(kinds) == 1 && kinds[reduceWrite] && len(ops) == 1:
			for op := range ops {
				w.res.Reductions = append(w.res.Reductions, ReductionVar{Var: v, Op: op, Pos: u.writes[0].pos})
			}
		case clean && len(kinds) == 1 && kinds[appendWrite]:
			w.order(Append, u.writes[0].pos, "the loop appends to %s in iteration order", v.Name())
		case clean && len(kinds) == 1 && kinds[plainWrite]:
			w.order(LastValue, u.writes[0].pos, "%s keeps the value of the last iteration that sets it", v.Name())
		case walkPos.IsValid():
			w.dep(walkPos, "the loop walks a linked list (%s = %s.%s)", v.Name(), v.Name(), w.walkField(walkPos))
		case u.headerRead:
			w.dep(u.writes[0].pos, "the loop condition depends on %s, which the body changes", v.Name())
		case w.readBeforeKill(v):
			w.dep(u.writes[0].pos, "each iteration uses %s from the previous one", v.Name())
		default:
			w.order(LastValue, u.writes[0].pos, "%s keeps the value of the last iteration that sets it", v.Name())
		}
	}
}

// walkField returns the field name of the walk assignment at pos.
func (w *walker) walkField(pos token.Pos) string {
	name := "next"
	ast.Inspect(w.body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Pos() == pos && len(as.Rhs) == 1 {
			if sel, ok := ast.Unparen(as.Rhs[0]).(*ast.SelectorExpr); ok {
				name = sel.Sel.Name
			}
		}
		return true
	})
	return name
}

// readBeforeKill reports whether an iteration may read v before it
// overwrites it: true unless a top-level statement of the body assigns v
// (not from itself) before any statement mentions it.
func (w *walker) readBeforeKill(v *types.Var) bool {
	kills := func(s ast.Stmt) bool {
		as, ok := s.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN {
			return false
		}
		hit := false
		for _, l := range as.Lhs {
			hit = hit || w.identOf(l, v) != nil
		}
		for _, r := range as.Rhs {
			if w.mentions(r, v) {
				return false
			}
		}
		return hit
	}
	for _, lit := range w.closures {
		if w.mentions(lit, v) {
			return true // the order of a closure's uses is not followed
		}
	}
	for _, s := range w.body.List {
		init := s
		switch x := s.(type) {
		case *ast.IfStmt:
			init = x.Init
		case *ast.SwitchStmt:
			init = x.Init
		}
		if init != nil && kills(init) {
			return false
		}
		if w.mentions(s, v) {
			return true
		}
	}
	return false
}

func isNumber(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsNumeric != 0
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// refersToMemory reports whether a value of type t refers to memory that a
// copy shares: pointers, slices, maps, channels.
func refersToMemory(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan:
		return true
	}
	return false
}

// constInt returns e's integer constant value.
func constInt(info *types.Info, e ast.Expr) (int64, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(tv.Value)
}
