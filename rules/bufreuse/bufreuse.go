package bufreuse

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/allocutil"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
)

//go:embed doc.go
var doc string

// Analyzer reports per-iteration buffer allocations that could be reused.
var Analyzer = &analysis.Analyzer{
	Name:     "bufreuse",
	Doc:      ruledoc.Extract(doc, "bufreuse"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/bufreuse",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// kind says what sort of buffer an allocation makes.
type kind int

const (
	notBuffer   kind = iota
	byteSlice        // make([]byte, n)
	bytesBuffer      // *bytes.Buffer
)

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		v, alloc := binding(info, cur.Node())
		if v == nil {
			continue
		}
		var k kind
		if alloc == nil {
			// var buf bytes.Buffer: the buffer's storage grows afresh in
			// every iteration; one Buffer reset each time keeps it.
			if isBytesBuffer(types.NewPointer(v.Type())) {
				k, alloc = bytesBuffer, cur.Node().(*ast.ValueSpec).Type
			}
		} else {
			k = allocKind(info, alloc)
		}
		if k == notBuffer {
			continue
		}
		loop, ok := loopinv.Innermost(cur)
		if !ok {
			continue
		}
		if k == byteSlice && !sizeInvariant(info, alloc.(*ast.CallExpr), loop) {
			continue
		}
		if !staysInIteration(info, v, loop) {
			continue
		}
		if k == byteSlice && stackable(info, alloc.(*ast.CallExpr)) && !leaksToInterface(info, v, loop) {
			continue // the compiler keeps it on the stack: nothing to save
		}
		how := v.Name() + " = " + v.Name() + "[:n]"
		if k == bytesBuffer {
			how = v.Name() + ".Reset()"
		}
		pass.Report(analysis.Diagnostic{
			Pos:      alloc.Pos(),
			End:      alloc.End(),
			Category: "reuse",
			Message: fmt.Sprintf("%s is allocated on every iteration but does not outlive it; allocate it once before the loop and reuse it (%s)",
				v.Name(), how),
		})
	}
	return nil, nil
}

// binding matches `v := alloc` or `var v = alloc` declaring one variable.
func binding(info *types.Info, n ast.Node) (*types.Var, ast.Expr) {
	var id *ast.Ident
	var rhs ast.Expr
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE || len(n.Lhs) != 1 || len(n.Rhs) != 1 {
			return nil, nil
		}
		id, _ = n.Lhs[0].(*ast.Ident)
		rhs = n.Rhs[0]
	case *ast.ValueSpec:
		switch {
		case len(n.Names) == 1 && len(n.Values) == 1:
			id, rhs = n.Names[0], n.Values[0]
		case len(n.Names) == 1 && len(n.Values) == 0 && n.Type != nil:
			id = n.Names[0] // var v T: a zero value, rhs nil
		default:
			return nil, nil
		}
	}
	if id == nil {
		return nil, nil
	}
	v, ok := info.Defs[id].(*types.Var)
	if !ok {
		return nil, nil
	}
	if rhs == nil {
		return v, nil
	}
	return v, ast.Unparen(rhs)
}

// allocKind classifies the allocation e.
func allocKind(info *types.Info, e ast.Expr) kind {
	switch e := e.(type) {
	case *ast.CallExpr:
		if allocutil.IsBuiltin(info, e, "make") && isBytes(info.TypeOf(e)) {
			return byteSlice
		}
		if allocutil.IsBuiltin(info, e, "new") && isBytesBuffer(info.TypeOf(e)) {
			return bytesBuffer
		}
		if len(e.Args) == 1 {
			if allocutil.IsFunc(info, e, "bytes", "NewBuffer") && info.Types[e.Args[0]].IsNil() {
				return bytesBuffer
			}
			if s, ok := allocutil.ConstString(info, e.Args[0]); ok && s == "" && allocutil.IsFunc(info, e, "bytes", "NewBufferString") {
				return bytesBuffer
			}
		}
	case *ast.UnaryExpr:
		if lit, ok := e.X.(*ast.CompositeLit); ok && e.Op == token.AND && len(lit.Elts) == 0 && isBytesBuffer(info.TypeOf(e)) {
			return bytesBuffer
		}
	}
	return notBuffer
}

func isBytes(t types.Type) bool {
	s, ok := t.(*types.Slice) // named []byte types may carry methods that retain; skip them
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

func isBytesBuffer(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := p.Elem().(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "bytes" && n.Obj().Name() == "Buffer"
}

// sizeInvariant reports whether the length and capacity of make are the
// same on every iteration. Only writes that name the size's variables count
// (loopinv.ByName): the loop's own Read calls would otherwise make every
// field size, such as make([]byte, c.chunk), look variant.
func sizeInvariant(info *types.Info, mk *ast.CallExpr, loop inspector.Cursor) bool {
	l := loopinv.New(info, loop, loopinv.ByName)
	for _, arg := range mk.Args[1:] {
		if !l.Invariant(arg) {
			return false
		}
	}
	return true
}

// staysInIteration reports whether every use of v inside loop keeps the
// buffer's memory from outliving the iteration.
func staysInIteration(info *types.Info, v *types.Var, loop inspector.Cursor) bool {
	for c := range loop.Preorder((*ast.Ident)(nil)) {
		if info.Uses[c.Node().(*ast.Ident)] != v {
			continue
		}
		// Any use inside a closure may run after the iteration.
		for e := range c.Enclosing((*ast.FuncLit)(nil)) {
			if loop.Contains(e) {
				return false
			}
		}
		ok := false
		if isBytes(v.Type()) {
			ok = sliceUseSafe(info, c)
		} else {
			ok = bufferUseSafe(info, c)
		}
		if !ok {
			return false
		}
	}
	return true
}

// sliceUseSafe reports whether the []byte-valued expression at c is used in
// a way that does not let its memory escape.
func sliceUseSafe(info *types.Info, c inspector.Cursor) bool {
	p := c.Parent()
	switch pn := p.Node().(type) {
	case *ast.ParenExpr:
		return sliceUseSafe(info, p)
	case *ast.IndexExpr:
		// buf[i] is a byte; only &buf[i] would keep the memory alive.
		u, isUnary := p.Parent().Node().(*ast.UnaryExpr)
		return !isUnary || u.Op != token.AND
	case *ast.SliceExpr:
		if c.ParentEdgeKind() == edge.SliceExpr_X {
			return sliceUseSafe(info, p) // an alias of the same memory
		}
		return true
	case *ast.RangeStmt:
		return c.ParentEdgeKind() == edge.RangeStmt_X
	case *ast.BinaryExpr:
		return true // comparison with nil
	case *ast.CallExpr:
		if c.ParentEdgeKind() != edge.CallExpr_Args {
			return false
		}
		return argSafe(info, pn, c.ParentEdgeIndex())
	}
	return false
}

// argSafe reports whether passing a byte slice as argument i of call does
// not retain it.
func argSafe(info *types.Info, call *ast.CallExpr, i int) bool {
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		b, isBasic := tv.Type.Underlying().(*types.Basic)
		return isBasic && b.Info()&types.IsString != 0 // string(buf) copies
	}
	switch fn := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		switch fn.Name() {
		case "len", "cap", "copy", "clear":
			return true
		case "append":
			return i > 0 && call.Ellipsis.IsValid() // append(dst, buf...) copies the bytes
		}
	case *types.Func:
		return nonRetaining(fn)
	}
	return false
}

// safeFuncs are package-level functions documented (or obviously built) not
// to retain their []byte arguments.
var safeFuncs = map[string]bool{
	"io.ReadFull": true, "io.ReadAtLeast": true,
	"bytes.Equal": true, "bytes.Compare": true, "bytes.HasPrefix": true, "bytes.HasSuffix": true,
	"bytes.Index": true, "bytes.IndexByte": true, "bytes.IndexAny": true, "bytes.IndexRune": true,
	"bytes.LastIndex": true, "bytes.LastIndexByte": true, "bytes.Contains": true, "bytes.ContainsAny": true,
	"bytes.ContainsRune": true, "bytes.Count": true, "bytes.EqualFold": true,
	"unicode/utf8.DecodeRune": true, "unicode/utf8.DecodeLastRune": true, "unicode/utf8.Valid": true,
	"unicode/utf8.RuneCount": true, "unicode/utf8.FullRune": true, "unicode/utf8.EncodeRune": true,
	"encoding/hex.Encode": true, "encoding/hex.Decode": true, "encoding/hex.EncodeToString": true,
	"fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true, "fmt.Sprint": true, "fmt.Sprintf": true,
	"fmt.Sprintln": true, "fmt.Print": true, "fmt.Printf": true, "fmt.Println": true,
	"io.Copy": true, "io.CopyN": true, "io.CopyBuffer": true, "io.WriteString": true,
	"encoding/binary.Write": true, "encoding/binary.Read": true,
}

// safeMethods are method names whose io contracts forbid retaining the
// slice argument (io.Reader, io.Writer, io.ReaderAt, io.WriterAt, and the
// hash.Hash and encoding/binary byte-order helpers that follow them).
var safeMethods = map[string]bool{
	"Read": true, "Write": true, "ReadAt": true, "WriteAt": true,
}

func nonRetaining(fn *types.Func) bool {
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return fn.Pkg() != nil && safeFuncs[fn.Pkg().Path()+"."+fn.Name()]
	}
	if safeMethods[fn.Name()] {
		return true
	}
	// binary.BigEndian.Uint32(buf), PutUint64(buf, x), ...
	if fn.Pkg() != nil && fn.Pkg().Path() == "encoding/binary" {
		return !strings.HasPrefix(fn.Name(), "Append") // AppendUint32(buf, x) returns an alias
	}
	// (*base64.Encoding).Encode and friends write into or read from the slice only.
	if fn.Pkg() != nil && (fn.Pkg().Path() == "encoding/base64" || fn.Pkg().Path() == "encoding/base32") {
		switch fn.Name() {
		case "Encode", "Decode", "EncodeToString", "DecodeString":
			return true
		}
	}
	return false
}

// aliasMethods are the bytes.Buffer methods whose result shares the
// buffer's memory.
var aliasMethods = map[string]bool{"Bytes": true, "Next": true, "AvailableBuffer": true}

// bufferUseSafe reports whether the *bytes.Buffer identifier at c is used in
// a way that does not let the buffer or its memory escape.
func bufferUseSafe(info *types.Info, c inspector.Cursor) bool {
	p := c.Parent()
	switch pn := p.Node().(type) {
	case *ast.UnaryExpr:
		// &buf of a bytes.Buffer variable is used as a *bytes.Buffer.
		_, isValue := info.TypeOf(c.Node().(ast.Expr)).(*types.Named)
		return pn.Op == token.AND && isValue && bufferUseSafe(info, p)
	case *ast.SelectorExpr:
		if _, ok := p.Parent().Node().(*ast.CallExpr); !ok || p.ParentEdgeKind() != edge.CallExpr_Fun {
			return false // a method value or field access
		}
		if aliasMethods[pn.Sel.Name] {
			return sliceUseSafe(info, p.Parent())
		}
		return true
	case *ast.CallExpr:
		if c.ParentEdgeKind() != edge.CallExpr_Args {
			return false
		}
		fn, ok := typeutil.Callee(info, pn).(*types.Func)
		if !ok || fn.Pkg() == nil {
			return false
		}
		if fn.Type().(*types.Signature).Recv() == nil {
			return safeFuncs[fn.Pkg().Path()+"."+fn.Name()]
		}
		// tmpl.Execute(buf, data) writes to the buffer and keeps nothing.
		path := fn.Pkg().Path()
		return (path == "text/template" || path == "html/template") && (fn.Name() == "Execute" || fn.Name() == "ExecuteTemplate")
	}
	return false
}

// maxStackMake is the largest constant-size make the compiler may place on
// the stack when the slice does not escape (cmd/compile's
// ir.MaxImplicitStackVarSize).
const maxStackMake = 64 << 10

// stackable reports whether mk has constant, small sizes, so that it is
// stack-allocated unless the slice escapes.
func stackable(info *types.Info, mk *ast.CallExpr) bool {
	for _, arg := range mk.Args[1:] {
		n, ok := allocutil.ConstInt(info, arg)
		if !ok || n > maxStackMake {
			return false
		}
	}
	return true
}

// leaksToInterface reports whether the byte slice v (or a slice of it) is
// passed to a dynamically dispatched method or to an io/fmt/binary helper
// taking interfaces: escape analysis then moves it to the heap.
func leaksToInterface(info *types.Info, v *types.Var, loop inspector.Cursor) bool {
	for c := range loop.Preorder((*ast.Ident)(nil)) {
		if info.Uses[c.Node().(*ast.Ident)] != v {
			continue
		}
		for {
			if _, ok := c.Parent().Node().(*ast.ParenExpr); ok {
				c = c.Parent()
				continue
			}
			if _, ok := c.Parent().Node().(*ast.SliceExpr); ok && c.ParentEdgeKind() == edge.SliceExpr_X {
				c = c.Parent()
				continue
			}
			break
		}
		call, ok := c.Parent().Node().(*ast.CallExpr)
		if !ok || c.ParentEdgeKind() != edge.CallExpr_Args {
			continue
		}
		fn, ok := typeutil.Callee(info, call).(*types.Func)
		if !ok || fn.Pkg() == nil {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
			return true
		}
		switch fn.Pkg().Path() {
		case "io", "fmt", "encoding/binary":
			if sig.Recv() == nil {
				return true
			}
		}
	}
	return false
}
