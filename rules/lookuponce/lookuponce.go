package lookuponce

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/loopinv"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports repeated lookups of the same map entry.
var Analyzer = &analysis.Analyzer{
	Name:     "lookuponce",
	Doc:      ruledoc.Extract(doc, "lookuponce"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/lookuponce",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// read is one map index expression that reads the map.
type read struct {
	cur  inspector.Cursor
	expr *ast.IndexExpr
	fn   ast.Node       // the enclosing function
	objs []types.Object // variables and fields the map and key name
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo

	// Group the reads by function and by (map, key) identity, in source order.
	groups := make(map[string][]*read)
	var order []string
	for cur := range in.Root().Preorder((*ast.IndexExpr)(nil)) {
		ix := cur.Node().(*ast.IndexExpr)
		if _, ok := typeOf(info, ix.X).(*types.Map); !ok || isWrite(cur) {
			continue
		}
		if deliberate(info, cur) {
			continue
		}
		var objs []types.Object
		mk, ok1 := exprKey(info, ix.X, &objs)
		kk, ok2 := exprKey(info, ix.Index, &objs)
		if !ok1 || !ok2 {
			continue
		}
		fnCur := astutil.EnclosingFunc(cur)
		if !fnCur.Valid() || appendInPlace(info, cur, mk, kk) {
			continue
		}
		fn := fnCur.Node()
		key := fmt.Sprintf("%p|%s|%s", fn, mk, kk)
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], &read{cur: cur, expr: ix, fn: fn, objs: objs})
	}

	for _, key := range order {
		reads := groups[key]
		reported := make(map[*read]bool) // reads already part of a reported pair
		for j := 1; j < len(reads); j++ {
			r2 := reads[j]
			for _, r1 := range reads[:j] {
				if !precedes(info, r1, r2) || interferes(info, r1, r2) {
					continue
				}
				if !reported[r1] {
					e := types.ExprString(r2.expr)
					hint := "read it once into a variable"
					if commaOK(r1.cur) {
						hint = "keep the value: v, ok := " + e
					}
					diag := analysis.Diagnostic{
						Pos:      r2.expr.Pos(),
						End:      r2.expr.End(),
						Category: "lookup-once",
						Message:  fmt.Sprintf("%s is looked up again with no write in between (%s)", e, hint),
					}
					if fix, ok := commaOKFix(pass, r1, reads); ok {
						diag.SuggestedFixes = []analysis.SuggestedFix{fix}
					}
					pass.Report(diag)
				}
				reported[r1], reported[r2] = true, true
				break
			}
		}
	}
	return nil, nil
}

func typeOf(info *types.Info, e ast.Expr) types.Type {
	if t := info.TypeOf(e); t != nil {
		return t.Underlying()
	}
	return nil
}

// commaOK reports whether the read at cur is the right side of
// `_, ok := m[k]` (or `=`), which discards the value it looked up.
func commaOK(cur inspector.Cursor) bool {
	if cur.ParentEdgeKind() != edge.AssignStmt_Rhs {
		return false
	}
	as := cur.Parent().Node().(*ast.AssignStmt)
	id, ok := as.Lhs[0].(*ast.Ident)
	return len(as.Lhs) == 2 && ok && id.Name == "_"
}

// fixName is the variable the comma-ok fix introduces.
const fixName = "v"

// commaOKFix rewrites `if _, ok := m[k]; ok { ... m[k] ... }` to
// `if v, ok := m[k]; ok { ... v ... }`. It applies only when r1 is the
// comma-ok read in an if statement's init, every other read of the same
// entry inside that if statement pairs with r1 (so each sees the value r1
// read; in the else branch both are the zero value), and the name v is free
// there.
//
// When the entry is read again after the if statement (the two-read form
// `if _, ok := m[k]; !ok { return }` ... `m[k]`), the lookup moves in front
// of the if (`v, ok := m[k]` then `if !ok {`) and the later reads that pair
// with it become v; that needs the if to be an element of a statement list
// and both names to be free in the rest of that list. Without any read to
// replace there is no fix: renaming _ alone declares an unused variable.
func commaOKFix(pass *analysis.Pass, r1 *read, group []*read) (analysis.SuggestedFix, bool) {
	info := pass.TypesInfo
	if !commaOK(r1.cur) || r1.cur.Parent().ParentEdgeKind() != edge.IfStmt_Init {
		return analysis.SuggestedFix{}, false
	}
	ifCur := r1.cur.Parent().Parent()
	as := r1.cur.Parent().Node().(*ast.AssignStmt)
	ifs := ifCur.Node().(*ast.IfStmt)
	if as.Tok != token.DEFINE {
		return analysis.SuggestedFix{}, false
	}
	// The name must be unused inside the if statement and undeclared at it.
	if usesName(ifs, fixName) {
		return analysis.SuggestedFix{}, false
	}
	scope := pass.Pkg.Scope().Innermost(ifs.Pos())
	if scope == nil {
		return analysis.SuggestedFix{}, false
	}
	if _, obj := scope.LookupParent(fixName, ifs.Pos()); obj != nil {
		return analysis.SuggestedFix{}, false
	}
	edits := []analysis.TextEdit{{Pos: as.Lhs[0].Pos(), End: as.Lhs[0].End(), NewText: []byte(fixName)}}
	var later []*read
	for _, r := range group {
		if r == r1 || r.expr.Pos() < ifs.Pos() {
			continue
		}
		if r.expr.Pos() >= ifs.End() {
			if precedes(info, r1, r) && !interferes(info, r1, r) {
				later = append(later, r)
			}
			continue
		}
		if !precedes(info, r1, r) || interferes(info, r1, r) {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: r.expr.Pos(), End: r.expr.End(), NewText: []byte(fixName)})
	}
	if len(later) > 0 {
		hoist, ok := hoistEdits(pass, ifCur, as)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, hoist...)
		for _, r := range later {
			edits = append(edits, analysis.TextEdit{Pos: r.expr.Pos(), End: r.expr.End(), NewText: []byte(fixName)})
		}
	}
	if len(edits) == 1 {
		return analysis.SuggestedFix{}, false // v would be declared and not used
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("keep the value of %s in %s", types.ExprString(r1.expr), fixName),
		TextEdits: edits,
	}, true
}

// hoistEdits turns `if v, ok := m[k]; cond {` into `v, ok := m[k]` followed
// by `if cond {`, so that v stays in scope after the if statement. The if
// must be an element of a statement list, and neither v nor the ok name may
// appear in the statements after it (they would now see, or clash with, the
// hoisted variables) or be declared in the list's own scope already.
func hoistEdits(pass *analysis.Pass, ifCur inspector.Cursor, as *ast.AssignStmt) ([]analysis.TextEdit, bool) {
	ifs := ifCur.Node().(*ast.IfStmt)
	okID, isID := as.Lhs[1].(*ast.Ident)
	if !isID || okID.Name == "_" || ifs.Cond == nil {
		return nil, false
	}
	var list []ast.Stmt
	switch p := ifCur.Parent().Node().(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return nil, false
	}
	after := false
	for _, s := range list {
		if after && (usesName(s, fixName) || usesName(s, okID.Name)) {
			return nil, false
		}
		if s == ifs {
			after = true
		}
	}
	// The list's own scope: the innermost scope containing the if
	// statement, not the if statement's implicit scope.
	scope := pass.Pkg.Scope().Innermost(ifs.Pos())
	if scope != nil && scope.Lookup(okID.Name) == pass.TypesInfo.Defs[okID] {
		scope = scope.Parent() // Innermost found the if statement's own scope
	}
	if scope == nil || scope.Lookup(okID.Name) != nil || scope.Lookup(fixName) != nil {
		return nil, false
	}
	return []analysis.TextEdit{
		{Pos: ifs.If, End: ifs.Init.Pos(), NewText: nil},
		{Pos: ifs.Init.End(), End: ifs.Cond.Pos(), NewText: []byte("\nif ")},
	}, true
}

// usesName reports whether an identifier called name occurs in n.
func usesName(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// appendInPlace reports whether the read at cur is the first argument of
// `m[k] = append(m[k], ...)` with the same map and key. The compiler does
// that read and the assignment with a single hash of the key, so the read
// costs nothing to remove.
func appendInPlace(info *types.Info, cur inspector.Cursor, mk, kk string) bool {
	if cur.ParentEdgeKind() != edge.CallExpr_Args || cur.ParentEdgeIndex() != 0 {
		return false
	}
	call := cur.Parent().Node().(*ast.CallExpr)
	if b, ok := typeutil.Callee(info, call).(*types.Builtin); !ok || b.Name() != "append" {
		return false
	}
	if cur.Parent().ParentEdgeKind() != edge.AssignStmt_Rhs {
		return false
	}
	as := cur.Parent().Parent().Node().(*ast.AssignStmt)
	if len(as.Lhs) != 1 || as.Tok != token.ASSIGN {
		return false
	}
	lhs, ok := ast.Unparen(as.Lhs[0]).(*ast.IndexExpr)
	if !ok {
		return false
	}
	var objs []types.Object
	lm, ok1 := exprKey(info, lhs.X, &objs)
	lk, ok2 := exprKey(info, lhs.Index, &objs)
	return ok1 && ok2 && lm == mk && lk == kk
}

// deliberate reports whether the read at cur is one a second lookup is
// fine for: an argument of a Reporting call (a failure message, a log line:
// an error path, not repeated work), or a blank read `_ = m[k]` (a
// benchmark measuring the lookup).
func deliberate(info *types.Info, cur inspector.Cursor) bool {
	if cur.ParentEdgeKind() == edge.AssignStmt_Rhs {
		as := cur.Parent().Node().(*ast.AssignStmt)
		if id, ok := as.Lhs[0].(*ast.Ident); ok && len(as.Lhs) == 1 && id.Name == "_" {
			return true
		}
	}
	for c := range cur.Enclosing((*ast.CallExpr)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		call, ok := c.Node().(*ast.CallExpr)
		if !ok {
			return false
		}
		if loopinv.Reporting(info, call) {
			return true
		}
	}
	return false
}

// isWrite reports whether the index expression at cur is assigned or
// incremented rather than read (m[k] = v, m[k] += v, m[k]++).
func isWrite(cur inspector.Cursor) bool {
	switch cur.ParentEdgeKind() {
	case edge.AssignStmt_Lhs, edge.IncDecStmt_X, edge.RangeStmt_Key, edge.RangeStmt_Value:
		return true
	}
	return false
}

// exprKey renders a call-free expression made of variables, fields,
// constants and operators as a string that is equal for two expressions iff
// they name the same objects the same way. It appends the variables and
// fields it names to objs.
func exprKey(info *types.Info, e ast.Expr, objs *[]types.Object) (string, bool) {
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return "c(" + tv.Value.ExactString() + ":" + tv.Type.String() + ")", true
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return exprKey(info, e.X, objs)
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok {
			return "", false
		}
		*objs = append(*objs, v)
		return fmt.Sprintf("v%p", v), true
	case *ast.SelectorExpr:
		sel, ok := info.Selections[e]
		if !ok {
			v, ok := info.Uses[e.Sel].(*types.Var) // pkg.V
			if !ok {
				return "", false
			}
			*objs = append(*objs, v)
			return fmt.Sprintf("v%p", v), true
		}
		if sel.Kind() != types.FieldVal {
			return "", false
		}
		x, ok := exprKey(info, e.X, objs)
		if !ok {
			return "", false
		}
		*objs = append(*objs, sel.Obj())
		return fmt.Sprintf("%s.f%p", x, sel.Obj()), true
	case *ast.StarExpr:
		x, ok := exprKey(info, e.X, objs)
		return "*" + x, ok
	case *ast.BinaryExpr:
		x, ok1 := exprKey(info, e.X, objs)
		y, ok2 := exprKey(info, e.Y, objs)
		return "(" + x + e.Op.String() + y + ")", ok1 && ok2
	}
	return "", false
}

// precedes reports whether r1 is evaluated, on every path, before r2 is.
func precedes(info *types.Info, r1, r2 *read) bool {
	if r1.fn != r2.fn || r1.expr.End() > r2.expr.Pos() {
		return false
	}
	// s1: the statement of a statement list that contains r1.
	s1, guard, ok := listStmt(r1.cur)
	if !ok {
		return false
	}
	switch s1.Node().(type) {
	case *ast.CaseClause, *ast.CommClause:
		return false // case expressions are evaluated until one matches
	}
	// r2 must be in s1 or in a later statement of the same list.
	var a inspector.Cursor
	for c := r2.cur; ; c = c.Parent() {
		if _, ok := c.Node().(*ast.File); ok {
			break
		}
		if c.Parent() == s1.Parent() {
			a = c
			break
		}
	}
	if !a.Valid() || a.Node().Pos() < s1.Node().Pos() {
		return false
	}
	// Within s1, r1 must sit where it is evaluated before any part of s1
	// that can contain r2 runs.
	if a == s1 && !headerBefore(r1.cur, s1) {
		return false
	}
	// A guarded r1 runs only when its if statement's body does.
	return guard == nil || guard.Body.Pos() <= r2.expr.Pos() && r2.expr.End() <= guard.Body.End()
}

// listStmt returns the nearest enclosing statement of r that is an element
// of a statement list (block, case or select clause body). When r is
// evaluated only conditionally (the right operand of &&), guard is the if
// statement whose condition is that && chain: r is evaluated whenever its
// body runs. ok is false when r is evaluated conditionally in any other way.
func listStmt(r inspector.Cursor) (s inspector.Cursor, guard *ast.IfStmt, ok bool) {
	conditional := false
	for c := r; ; c = c.Parent() {
		if _, ok := c.Node().(*ast.File); ok {
			break
		}
		p := c.Parent()
		switch pn := p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return inspector.Cursor{}, nil, false
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			if _, isStmt := c.Node().(ast.Stmt); isStmt {
				return c, guard, !conditional || guard != nil
			}
		case *ast.BinaryExpr:
			switch {
			case pn.Op == token.LOR && (conditional || c.ParentEdgeKind() == edge.BinaryExpr_Y):
				return inspector.Cursor{}, nil, false
			case pn.Op == token.LAND && c.ParentEdgeKind() == edge.BinaryExpr_Y:
				conditional = true
			}
		case *ast.ParenExpr:
		case *ast.IfStmt:
			if conditional && guard == nil {
				if c.ParentEdgeKind() != edge.IfStmt_Cond {
					return inspector.Cursor{}, nil, false
				}
				guard = pn
			}
		default:
			if conditional && guard == nil {
				return inspector.Cursor{}, nil, false
			}
		}
	}
	return inspector.Cursor{}, nil, false
}

// headerBefore reports whether r1, inside the list statement s, is
// evaluated before every later part of s: it is in the init or condition of
// an if or for statement, a range expression, or a switch's init or tag, or s
// is a simple statement (which evaluates all its operands).
func headerBefore(r1, s inspector.Cursor) bool {
	// The child of s on r1's path.
	var c1 inspector.Cursor
	for c := r1; c.Valid() && c != s; c = c.Parent() {
		c1 = c
	}
	switch c1.ParentEdgeKind() {
	case edge.IfStmt_Init, edge.IfStmt_Cond,
		edge.ForStmt_Init, edge.ForStmt_Cond,
		edge.RangeStmt_X,
		edge.SwitchStmt_Init, edge.SwitchStmt_Tag, edge.TypeSwitchStmt_Init:
		return true
	}
	switch s.Node().(type) {
	case *ast.AssignStmt, *ast.ExprStmt, *ast.ReturnStmt, *ast.DeclStmt, *ast.SendStmt, *ast.GoStmt, *ast.DeferStmt, *ast.IncDecStmt:
		return true // a simple statement evaluates all its operands
	}
	return false
}

// interferes reports whether anything evaluated between r1 and r2 may change
// the map entry r2 reads.
func interferes(info *types.Info, r1, r2 *read) bool {
	objs := make(map[types.Object]bool)
	for _, o := range r1.objs {
		objs[o] = true
	}
	mapType := info.TypeOf(r2.expr.X)
	lo, hi := r1.expr.End(), r2.expr.Pos()
	// A loop that re-evaluates r2 but not r1 (r1 is outside the loop's
	// body: before it, or in its header) runs its whole body between r1 and
	// some evaluation of r2; the body of `for init; cond; post` even comes
	// after the post statement in the source.
	regions := [][2]token.Pos{{lo, hi}}
	for _, l := range loopinv.Enclosing(r2.cur) {
		body := astutil.LoopBody(l.Node())
		if r1.expr.Pos() < body.Pos() || r1.expr.End() > body.End() {
			regions = append(regions, [2]token.Pos{l.Node().Pos(), l.Node().End()})
		}
	}
	// Expressions and statements around r1 that do not contain r2 finish
	// after r1 is read: the call r1 is an argument of, the assignment it is
	// the right side of.
	for c := r1.cur.Parent(); ; c = c.Parent() {
		n := c.Node()
		if n.Pos() <= r2.expr.Pos() && r2.expr.End() <= n.End() {
			break
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if !harmless(info, n) {
				return true
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if lhsTouches(info, lhs, objs, mapType) {
					return true
				}
			}
		case *ast.IncDecStmt:
			if lhsTouches(info, n.X, objs, mapType) {
				return true
			}
		case *ast.SendStmt, *ast.UnaryExpr:
			if u, ok := n.(*ast.UnaryExpr); !ok || u.Op == token.ARROW {
				return true
			}
		}
	}
	bad := false
	ast.Inspect(r2.fn, func(n ast.Node) bool {
		if bad || n == nil {
			return false
		}
		inside := false
		for _, r := range regions {
			if r[0] <= n.Pos() && n.End() <= r[1] {
				inside = true
			}
		}
		overlaps := false
		for _, r := range regions {
			if n.Pos() < r[1] && r[0] < n.End() {
				overlaps = true
			}
		}
		if !overlaps {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok && inside {
			return false // defined, not run; a call of it is caught below
		}
		if inside && writesTo(info, n, objs, mapType) {
			bad = true
		}
		return !bad
	})
	return bad
}

// writesTo reports whether the node n, run between the reads, may change
// the map entry: see the package doc for the list.
func writesTo(info *types.Info, n ast.Node, objs map[types.Object]bool, mapType types.Type) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		for _, lhs := range n.Lhs {
			if lhsTouches(info, lhs, objs, mapType) {
				return true
			}
		}
	case *ast.IncDecStmt:
		return lhsTouches(info, n.X, objs, mapType)
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{n.Key, n.Value} {
			if e != nil && n.Tok == token.ASSIGN && lhsTouches(info, e, objs, mapType) {
				return true
			}
		}
		if _, ok := typeOf(info, n.X).(*types.Chan); ok {
			return true
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW {
			return true
		}
		if n.Op == token.AND {
			for _, o := range rootObjs(info, n.X) {
				if objs[o] {
					return true
				}
			}
		}
	case *ast.SendStmt, *ast.SelectStmt:
		return true
	case *ast.CallExpr:
		return !harmless(info, n)
	}
	return false
}

// lhsTouches reports whether assigning to lhs may change the map or key:
// it names one of their variables or fields on the way to the stored
// location, overwrites a whole pointee (*p = v, which may hold them), or
// writes an element of a map of the same type (which may be the same map).
// A store through a pointer held in the map (m[k].f = v) does not change
// the map.
func lhsTouches(info *types.Info, lhs ast.Expr, objs map[types.Object]bool, mapType types.Type) bool {
	e := ast.Unparen(lhs)
	if _, ok := e.(*ast.StarExpr); ok {
		return true
	}
	if ix, ok := e.(*ast.IndexExpr); ok {
		if t := info.TypeOf(ix.X); t != nil && types.Identical(t, mapType) {
			return true
		}
	}
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return objs[info.ObjectOf(x)]
		case *ast.SelectorExpr:
			if objs[info.ObjectOf(x.Sel)] {
				return true
			}
			if _, ok := info.Selections[x]; !ok {
				return false // pkg.V, checked above
			}
			e = x.X
		case *ast.IndexExpr:
			if _, ok := typeOf(info, x.X).(*types.Map); ok {
				return false // a store through a pointer the map holds
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
	}
}

// harmless reports whether a call cannot write a map: conversions, builtins
// other than delete, clear, close and panic, and known-pure functions.
func harmless(info *types.Info, call *ast.CallExpr) bool {
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return true
	}
	switch fn := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		switch fn.Name() {
		case "delete", "clear", "close", "panic", "print", "println":
			return false
		}
		return true
	case *types.Func:
		return typeutil.StaticCallee(info, call) != nil && loopinv.IsPure(fn) && !strings.HasPrefix(fn.FullName(), "os.")
	}
	return false
}

// rootObjs returns the variables and fields along an addressable path: for
// &s.a.b[i], the objects of s, a and b.
func rootObjs(info *types.Info, e ast.Expr) []types.Object {
	var objs []types.Object
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			if o := info.ObjectOf(x); o != nil {
				objs = append(objs, o)
			}
			return objs
		case *ast.SelectorExpr:
			if o := info.ObjectOf(x.Sel); o != nil {
				objs = append(objs, o)
			}
			if _, ok := info.Selections[x]; !ok {
				return objs
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return objs
		}
	}
}
