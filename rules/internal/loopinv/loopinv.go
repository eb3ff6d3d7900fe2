// Package loopinv answers two questions the loop rules share: which loops
// enclose a node (within one function), and whether an expression evaluates
// to the same value on every iteration of a loop.
//
// The analysis is syntactic plus types, and conservative by construction:
// when it cannot prove that nothing in the loop changes what an expression
// reads, it answers "not invariant". A variable is changed by the loop when
// the loop assigns it (directly, as a range variable, or inside a closure
// literal in the loop). A variable whose address is taken anywhere in the
// function, that a closure assigns, or that is declared at package level in
// the loop's own package may also change through pointers or calls; it counts
// as invariant only when the loop has no effects at all (no calls except known-pure ones, no stores
// through pointers, slices or maps, no channel operations). Memory reached
// through pointers, slices and maps is treated the same way. Rules that only
// ask whether a size or bound repeats (not whether hoisting it is safe) can
// relax that last part with ByName; see Memory.
package loopinv

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// Enclosing returns the loops (*ast.ForStmt or *ast.RangeStmt) whose
// iterations re-evaluate the node at cur, innermost first. It stops at the
// enclosing function: a loop around a function literal does not enclose the
// literal's body. A node in a for statement's Init, or in a range statement's
// range expression, key or value, is evaluated once per loop, so that loop
// is not included.
func Enclosing(cur inspector.Cursor) []inspector.Cursor {
	var loops []inspector.Cursor
	for c := cur; ; {
		if _, ok := c.Node().(*ast.File); ok {
			return loops // the parent of a file is the root, which has none
		}
		k := c.ParentEdgeKind()
		p := c.Parent()
		switch p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return loops
		case *ast.ForStmt:
			if k == edge.ForStmt_Cond || k == edge.ForStmt_Post || k == edge.ForStmt_Body {
				loops = append(loops, p)
			}
		case *ast.RangeStmt:
			if k == edge.RangeStmt_Body {
				loops = append(loops, p)
			}
		}
		c = p
	}
}

// Innermost returns the innermost loop of Enclosing(cur): the loop whose
// iterations re-evaluate cur, if there is one.
func Innermost(cur inspector.Cursor) (inspector.Cursor, bool) {
	loops := Enclosing(cur)
	if len(loops) == 0 {
		return inspector.Cursor{}, false
	}
	return loops[0], true
}

// Memory says how a Loop treats what it cannot see by name: memory reached
// through pointers, slices and maps (p.f, xs[i], *p, len(m)), and variables
// that may change without being named (address taken, assigned by a
// closure, package-level).
type Memory int

const (
	// MayAlias presumes that any effect of the loop (a call not known to be
	// pure, a store through a pointer, slice or map, a channel operation)
	// may change such memory. Hoisting rules need it: the hoisted value must
	// be the one every iteration would have computed.
	MayAlias Memory = iota
	// ByName presumes such memory changes only when the loop names its root
	// variable in a write: assigns it or through it (v = e, v.f = e,
	// v[i] = e), takes its address, or calls a pointer- or interface-receiver
	// method on it. Rules that only ask whether a size or a bound is the same
	// on every iteration use it (bufreuse's make length, prealloc's loop
	// bound): their loops always call Read or append, so under MayAlias every
	// field and element would be variant and the rules would go silent on
	// their main cases, such as make([]byte, c.size) in a loop that reads.
	ByName
)

// Loop summarizes what one loop may change. Build it with New; it is
// read-only afterwards.
type Loop struct {
	info *types.Info
	pkg  *types.Package // the package of the loop
	node ast.Stmt       // *ast.ForStmt or *ast.RangeStmt

	// assigned holds variables the loop writes by name (including range
	// variables, inc/dec, and writes to their fields or array elements).
	assigned map[*types.Var]bool
	// shared holds variables of the enclosing function that may change
	// without being named: their address is taken, or a closure assigns them.
	shared map[*types.Var]bool
	// effects reports that the loop may write memory that is not named by a
	// local variable: unknown calls, stores through pointers, slices or maps,
	// channel operations.
	effects bool
	mem     Memory
}

// New summarizes the loop at cur, which must be an *ast.ForStmt or an
// *ast.RangeStmt; mem says what may change memory the loop does not name.
func New(info *types.Info, cur inspector.Cursor, mem Memory) *Loop {
	l := &Loop{
		info:     info,
		mem:      mem,
		node:     cur.Node().(ast.Stmt),
		assigned: make(map[*types.Var]bool),
		shared:   make(map[*types.Var]bool),
	}
	// Address-taken and closure-assigned variables of the whole function.
	fn := cur
	for p := cur.Parent(); ; p = p.Parent() {
		if _, ok := p.Node().(*ast.File); ok {
			break
		}
		if d, ok := p.Node().(*ast.FuncDecl); ok {
			fn = p
			if obj := info.Defs[d.Name]; obj != nil {
				l.pkg = obj.Pkg()
			}
			break
		}
		if _, ok := p.Node().(*ast.FuncLit); ok {
			fn = p // keep going: an outer function's closures matter too
		}
	}
	l.scanShared(fn.Node())

	// What the loop itself writes. A for statement's Init runs once; its
	// Cond, Post and Body run per iteration. A range statement's key and
	// value are assigned per iteration.
	switch n := l.node.(type) {
	case *ast.ForStmt:
		for _, part := range []ast.Node{n.Cond, n.Post, n.Body} {
			if part != nil {
				l.scanEffects(part)
			}
		}
	case *ast.RangeStmt:
		if n.Tok == token.ASSIGN {
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil {
					l.markWrite(e)
				}
			}
		}
		if _, ok := info.TypeOf(n.X).Underlying().(*types.Chan); ok {
			l.effects = true // receives synchronize with other goroutines
		}
		if _, ok := info.TypeOf(n.X).Underlying().(*types.Signature); ok {
			l.effects = true // the iterator function runs between iterations
		}
		l.scanEffects(n.Body)
	}
	return l
}

// Node returns the loop statement.
func (l *Loop) Node() ast.Stmt { return l.node }

// Assigns reports whether the loop may change the variable v.
func (l *Loop) Assigns(v *types.Var) bool {
	if l.assigned[v] || l.declaredInside(v) {
		return true
	}
	if l.shared[v] || astutil.PackageLevel(v) && !l.foreign(v) {
		return l.unnamedWrites()
	}
	return false
}

// unnamedWrites reports whether memory the loop does not name may change
// between iterations (see Memory).
func (l *Loop) unnamedWrites() bool {
	return l.effects && l.mem == MayAlias
}

// foreign reports whether v is another package's variable (os.Stdout,
// http.DefaultClient). Code rarely reassigns those, and a loop that does it
// by name is caught by assigned; so unlike this package's variables they
// are not presumed changed by every call.
func (l *Loop) foreign(v *types.Var) bool {
	return l.pkg != nil && v.Pkg() != l.pkg
}

func (l *Loop) declaredInside(v *types.Var) bool {
	return l.node.Pos() <= v.Pos() && v.Pos() < l.node.End()
}

// Invariant reports whether e evaluates to the same value on every
// iteration of the loop, and evaluating it has no side effects. Calls count
// only when they are conversions, side-effect-free builtins, or functions
// IsPure knows.
func (l *Loop) Invariant(e ast.Expr) bool {
	info := l.info
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return true // constant
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return l.Invariant(e.X)
	case *ast.Ident:
		return l.identInvariant(e)
	case *ast.SelectorExpr:
		sel, ok := info.Selections[e]
		if !ok {
			return l.identInvariant(e.Sel) // qualified identifier pkg.Name
		}
		switch sel.Kind() {
		case types.FieldVal:
			if !l.Invariant(e.X) {
				return false
			}
			// A field reached through a pointer may change by any effect.
			return !sel.Indirect() || !l.unnamedWrites()
		case types.MethodExpr:
			return true
		}
		return false // method values allocate a closure; not worth it
	case *ast.IndexExpr:
		if tv, ok := info.Types[e.X]; ok && tv.IsValue() {
			if !l.Invariant(e.X) || !l.Invariant(e.Index) {
				return false
			}
			// Elements of slices, maps and arrays behind pointers may change
			// through aliases; values of array type are copies.
			if _, isArray := info.TypeOf(e.X).Underlying().(*types.Array); isArray {
				return true
			}
			if _, isString := info.TypeOf(e.X).Underlying().(*types.Basic); isString {
				return true
			}
			return !l.unnamedWrites()
		}
		return l.Invariant(e.X) // generic instantiation f[T]
	case *ast.IndexListExpr:
		return l.Invariant(e.X)
	case *ast.SliceExpr:
		for _, x := range []ast.Expr{e.X, e.Low, e.High, e.Max} {
			if x != nil && !l.Invariant(x) {
				return false
			}
		}
		return true // a slice header; its elements are checked where read
	case *ast.StarExpr:
		return l.Invariant(e.X) && !l.unnamedWrites()
	case *ast.UnaryExpr:
		if e.Op == token.ARROW || e.Op == token.AND {
			return false // receives change; &T{} allocates a new object
		}
		return l.Invariant(e.X)
	case *ast.BinaryExpr:
		return l.Invariant(e.X) && l.Invariant(e.Y)
	case *ast.TypeAssertExpr:
		return l.Invariant(e.X)
	case *ast.CallExpr:
		return l.callInvariant(e)
	}
	return false
}

func (l *Loop) identInvariant(id *ast.Ident) bool {
	switch obj := l.info.Uses[id].(type) {
	case *types.Const, *types.TypeName, *types.Func, *types.Builtin, *types.Nil, *types.PkgName:
		return true
	case *types.Var:
		return !l.Assigns(obj)
	}
	return false
}

func (l *Loop) callInvariant(call *ast.CallExpr) bool {
	info := l.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return len(call.Args) == 1 && l.Invariant(call.Args[0]) // conversion
	}
	for _, a := range call.Args {
		if !l.Invariant(a) {
			return false
		}
	}
	if b, ok := typeutil.Callee(info, call).(*types.Builtin); ok {
		switch b.Name() {
		case "len", "cap":
			// The length of a map or channel changes without its variable
			// being assigned.
			switch info.TypeOf(call.Args[0]).Underlying().(type) {
			case *types.Map, *types.Chan:
				return !l.unnamedWrites()
			}
			return true
		case "min", "max", "real", "imag", "complex":
			return true
		}
		return false
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || !IsPure(fn) {
		return false
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && info.Selections[sel] != nil {
		if !l.Invariant(sel.X) { // the receiver
			return false
		}
	}
	// A pure function of a slice, map or pointer reads memory that effects
	// may change.
	args := call.Args
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && info.Selections[sel] != nil {
		args = append([]ast.Expr{sel.X}, args...)
	}
	for _, a := range args {
		if refersToMemory(info.TypeOf(a)) && l.unnamedWrites() {
			return false
		}
	}
	return true
}

// refersToMemory reports whether a value of type t refers to mutable memory
// outside itself.
func refersToMemory(t types.Type) bool {
	if t == nil {
		return true
	}
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return false
	case *types.Array:
		return refersToMemory(t.Elem())
	case *types.Struct:
		for i := range t.NumFields() {
			if refersToMemory(t.Field(i).Type()) {
				return true
			}
		}
		return false
	}
	return true
}

// scanShared records the variables of the function fn that may change
// without being named: those whose address is taken (explicitly, by calling a
// pointer method on an addressable value, or by slicing an array) and those
// assigned inside a function literal.
func (l *Loop) scanShared(fn ast.Node) {
	info := l.info
	var lits []*ast.FuncLit
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if n != fn {
				lits = append(lits, n)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if v := astutil.RootVar(info, n.X); v != nil {
					l.shared[v] = true
				}
			}
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[n]; ok && sel.Kind() != types.FieldVal {
				if fn, ok := sel.Obj().(*types.Func); ok {
					if recv := fn.Signature().Recv(); recv != nil && isPointer(recv.Type()) && !isPointer(info.TypeOf(n.X)) {
						if v := astutil.RootVar(info, n.X); v != nil {
							l.shared[v] = true
						}
					}
				}
			}
		case *ast.SliceExpr:
			if _, ok := info.TypeOf(n.X).Underlying().(*types.Array); ok {
				if v := astutil.RootVar(info, n.X); v != nil {
					l.shared[v] = true
				}
			}
		}
		return true
	})
	for _, lit := range lits {
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			for _, lhs := range writtenExprs(n) {
				if v := astutil.RootVar(info, lhs); v != nil && !(lit.Pos() <= v.Pos() && v.Pos() < lit.End()) {
					l.shared[v] = true
				}
			}
			return true
		})
	}
}

// writtenExprs returns the expressions the statement n assigns.
func writtenExprs(n ast.Node) []ast.Expr {
	switch n := n.(type) {
	case *ast.AssignStmt:
		return n.Lhs
	case *ast.IncDecStmt:
		return []ast.Expr{n.X}
	case *ast.RangeStmt:
		if n.Tok == token.ASSIGN {
			var es []ast.Expr
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil {
					es = append(es, e)
				}
			}
			return es
		}
	}
	return nil
}

// scanEffects records what the per-iteration part n of the loop writes.
func (l *Loop) scanEffects(n ast.Node) {
	info := l.info
	ast.Inspect(n, func(n ast.Node) bool {
		for _, lhs := range writtenExprs(n) {
			l.markWrite(lhs)
		}
		switch n := n.(type) {
		case *ast.SendStmt, *ast.SelectStmt:
			l.effects = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				l.effects = true
			}
		case *ast.RangeStmt:
			switch info.TypeOf(n.X).Underlying().(type) {
			case *types.Chan, *types.Signature:
				l.effects = true
			}
		case *ast.CallExpr:
			if !l.effectFree(n) {
				l.effects = true
			}
		}
		if l.mem == ByName {
			l.markNamedWrite(n)
		}
		return true
	})
}

// markNamedWrite records, for ByName, the writes n makes through a variable
// it names without assigning it: &v, and a method call on v whose receiver
// is a pointer or an interface (either may change what v reaches).
func (l *Loop) markNamedWrite(n ast.Node) {
	switch n := n.(type) {
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			if v := astutil.RootVar(l.info, n.X); v != nil {
				l.assigned[v] = true
			}
		}
	case *ast.CallExpr:
		sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
		if !ok {
			return
		}
		s, ok := l.info.Selections[sel]
		if !ok || s.Kind() != types.MethodVal {
			return
		}
		recv := s.Obj().(*types.Func).Signature().Recv()
		if recv != nil && (isPointer(recv.Type()) || types.IsInterface(recv.Type())) {
			if v := astutil.RootVar(l.info, sel.X); v != nil {
				l.assigned[v] = true
			}
		}
	}
}

// markWrite records an assignment to lhs.
func (l *Loop) markWrite(lhs ast.Expr) {
	lhs = ast.Unparen(lhs)
	if id, ok := lhs.(*ast.Ident); ok {
		if v, ok := l.info.Defs[id].(*types.Var); ok {
			l.assigned[v] = true // declared here: fresh per iteration
			return
		}
		if v, ok := l.info.Uses[id].(*types.Var); ok {
			l.assigned[v] = true
		}
		return // blank
	}
	if v := astutil.RootVar(l.info, lhs); v != nil {
		l.assigned[v] = true
	}
	if throughMemory(l.info, lhs) {
		l.effects = true
	}
}

// throughMemory reports whether assigning to e stores through a pointer,
// slice or map rather than into a variable's own storage.
func throughMemory(info *types.Info, e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return false
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[x]; ok && sel.Indirect() {
				return true
			}
			if _, ok := info.Selections[x]; !ok {
				return true // package-level variable of another package
			}
			e = x.X
		case *ast.IndexExpr:
			if _, ok := info.TypeOf(x.X).Underlying().(*types.Array); !ok {
				return true
			}
			e = x.X
		default:
			return true
		}
	}
}

func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// effectFree reports whether the call writes no memory the caller can see.
func (l *Loop) effectFree(call *ast.CallExpr) bool {
	info := l.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return true // conversion
	}
	switch fn := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		switch fn.Name() {
		case "len", "cap", "min", "max", "real", "imag", "complex", "new", "make":
			return true
		}
		return false // append, copy, clear, delete, close, panic, print
	case *types.Func:
		if typeutil.StaticCallee(info, call) == nil {
			return false // interface method
		}
		return IsPure(fn) || constructors[fn.FullName()]
	}
	return false
}

// constructors are functions that build and return a new value without
// writing any memory their caller can see.
var constructors = map[string]bool{
	"regexp.Compile":           true,
	"regexp.MustCompile":       true,
	"regexp.CompilePOSIX":      true,
	"regexp.MustCompilePOSIX":  true,
	"time.LoadLocation":        true,
	"strings.NewReplacer":      true,
	"strings.NewReader":        true,
	"bytes.NewReader":          true,
	"bytes.NewBufferString":    true,
	"errors.New":               true,
	"text/template.New":        true,
	"html/template.New":        true,
	"encoding/json.NewDecoder": true,
	"encoding/json.NewEncoder": true,
}
