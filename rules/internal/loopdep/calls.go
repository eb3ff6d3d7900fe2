package loopdep

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/loopinv"
)

// safeTypes are types whose values may be shared by concurrent iterations:
// clients safe for concurrent use, synchronization, read-only values.
var safeTypes = map[string]bool{
	"net/http.Client": true, "net/http.Transport": true, "database/sql.DB": true, "database/sql.Stmt": true,
	"net.Dialer": true, "regexp.Regexp": true, "strings.Replacer": true, "net/url.URL": true,
	"text/template.Template": true, "html/template.Template": true, "context.Context": true,
	"sync.WaitGroup": true, "sync.Mutex": true, "sync.RWMutex": true, "sync.Once": true,
	"sync/atomic.Int32": true, "sync/atomic.Int64": true, "sync/atomic.Uint32": true, "sync/atomic.Uint64": true,
	"sync/atomic.Bool": true, "sync/atomic.Value": true, "time.Location": true,
	"golang.org/x/sync/errgroup.Group": true, "golang.org/x/sync/semaphore.Weighted": true,
}

// readOnlyPkgs are packages whose functions (not methods) do not change
// the values passed to them, other than through pointers (fmt.Sscan).
var readOnlyPkgs = map[string]bool{
	"fmt": true, "strings": true, "strconv": true, "path": true, "path/filepath": true,
	"errors": true, "net/url": true, "time": true, "unicode": true, "unicode/utf8": true,
	"bytes": true, "math": true, "math/bits": true, "encoding/hex": true, "crypto/sha256": true,
	"crypto/md5": true, "crypto/sha1": true, "hash/crc32": true, "hash/fnv": true,
}

// readOnlyFuncs are read-only functions of packages that also mutate.
var readOnlyFuncs = map[string]bool{
	"slices.Contains": true, "slices.Index": true, "slices.IndexFunc": true, "slices.ContainsFunc": true,
	"slices.Equal": true, "slices.Max": true, "slices.Min": true, "slices.BinarySearch": true,
	"slices.Compare": true, "slices.Clone": true, "slices.Sorted": true, "slices.Collect": true,
	"maps.Keys": true, "maps.Values": true, "maps.Clone": true, "sort.Search": true,
	"sort.SearchInts": true, "sort.SearchStrings": true, "encoding/json.Marshal": true,
	"encoding/json.MarshalIndent": true, "encoding/json.Valid": true, "sync/atomic.AddInt64": true,
	"sync/atomic.AddInt32": true, "sync/atomic.LoadInt64": true, "sync/atomic.LoadInt32": true,
}

// ioCalls are blocking calls whose effects are independent per call.
var ioCalls = map[string]bool{
	"net/http.Get": true, "net/http.Head": true, "net/http.Post": true, "net/http.PostForm": true,
	"net/http.NewRequest": true, "net/http.NewRequestWithContext": true,
	"net.Dial": true, "net.DialTimeout": true, "os.ReadFile": true, "os.Open": true,
	"os.ReadDir": true, "os.Stat": true, "os.Lstat": true, "os.WriteFile": true,
}

// statefulTypes are iterators and streams: each call continues where the
// previous one stopped. The value formats the reason (%s: the method).
var statefulTypes = map[string]string{
	"bufio.Scanner":         "Scanner.%s is a stateful iterator",
	"database/sql.Rows":     "Rows.%s is a stateful iterator",
	"math/rand.Rand":        "a shared *rand.Rand is used (%s)",
	"math/rand/v2.Rand":     "a shared *rand.Rand is used (%s)",
	"encoding/json.Decoder": "Decoder.%s reads the shared stream",
	"encoding/xml.Decoder":  "Decoder.%s reads the shared stream",
	"encoding/csv.Reader":   "csv.Reader.%s reads the shared stream",
	"bufio.Reader":          "bufio.Reader.%s reads the shared stream",
}

var exitFuncs = map[string]bool{
	"os.Exit": true, "log.Fatal": true, "log.Fatalf": true, "log.Fatalln": true,
	"log.Panic": true, "log.Panicf": true, "log.Panicln": true,
}

var printFuncs = map[string]bool{
	"fmt.Print": true, "fmt.Printf": true, "fmt.Println": true,
	"log.Print": true, "log.Printf": true, "log.Println": true,
	"log/slog.Info": true, "log/slog.Warn": true, "log/slog.Error": true, "log/slog.Debug": true,
}

// callKind is what a standard-library call does that the analysis cares
// about, before its operands are looked at.
type callKind int

const (
	plainCall  callKind = iota
	exitCall            // ends the program
	printCall           // prints to standard output or error
	fprintCall          // fmt.Fprint*: prints to its first argument
)

func kindOf(fn *types.Func) callKind {
	full := fn.FullName()
	switch {
	case exitFuncs[full]:
		return exitCall
	case printFuncs[full]:
		return printCall
	case fn.Pkg() != nil && fn.Pkg().Path() == "fmt" && strings.HasPrefix(fn.Name(), "Fprint"):
		return fprintCall
	}
	if recv := fn.Signature().Recv(); recv != nil && typeName(recv.Type()) == "log.Logger" {
		switch {
		case strings.HasPrefix(fn.Name(), "Fatal") || strings.HasPrefix(fn.Name(), "Panic"):
			return exitCall
		case strings.HasPrefix(fn.Name(), "Print"):
			return printCall
		}
	}
	return plainCall
}

// call handles a call in the loop and reports whether to walk its children.
func (w *walker) call(call *ast.CallExpr) bool {
	info := w.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return true // a conversion
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			w.builtin(call, b.Name())
			return true
		}
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	name := types.ExprString(call.Fun)
	if fn == nil {
		if v := w.varOf(call.Fun); v != nil && w.outerLocal(v) {
			if lit := w.a.closureOf(v); lit != nil && !slices.Contains(w.closures, lit) {
				w.closures = append(w.closures, lit)
				w.walk(lit)
			}
		}
		w.operands(call, nil, name)
		return true
	}
	if fn.Name() == "Go" && fn.Signature().Recv() != nil {
		// errgroup.Group.Go, sync.WaitGroup.Go: the function runs concurrently.
		w.res.AlreadyConcurrent = true
		for _, a := range call.Args {
			if _, lit := ast.Unparen(a).(*ast.FuncLit); !lit {
				w.walk(a)
			}
		}
		return false
	}
	if fd := w.a.decls[fn.Origin()]; fd != nil {
		w.local(call, fn.Origin(), name)
		return true
	}
	switch kindOf(fn) {
	case exitCall:
		w.exitCall(call, name)
		return true
	case printCall:
		w.order(Output, call.Pos(), "the loop prints with %s in iteration order", name)
		return true
	case fprintCall:
		if len(call.Args) > 0 {
			w.writerArg(call.Args[0], call.Pos(), name)
		}
		return true
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Signature().Recv() != nil {
		if format, ok := statefulTypes[typeName(fn.Signature().Recv().Type())]; ok {
			if r := w.refOf(sel.X); r.root != nil && (r.global || !w.inside(r.root)) {
				w.dep(call.Pos(), format, fn.Name())
				return true
			}
		}
	}
	w.operands(call, fn, name)
	return true
}

// exitCall records a call in the loop body that ends the program. Taken
// only when an error is not nil it is an error exit, which a rewrite can
// move after the concurrent part (if err := g.Wait(); err != nil {
// log.Fatal(err) }); otherwise the failure that ends the program would
// depend on the order.
func (w *walker) exitCall(call *ast.CallExpr, name string) {
	if w.errorGuarded() && !w.inFuncLit() {
		w.order(ErrorExit, call.Pos(), "the loop ends the program (%s) at the first error (run concurrently, another error may win)", name)
		return
	}
	w.order(Exit, call.Pos(), "the loop calls %s: run concurrently, a different failure would end the program", name)
}

// writerArg records printing to e: standard output or error, or a writer
// shared by the iterations.
func (w *walker) writerArg(e ast.Expr, pos token.Pos, name string) {
	if isStdStream(w.info, e) {
		w.order(Output, pos, "the loop prints with %s in iteration order", name)
		return
	}
	if r := w.refOf(e); r.root != nil && (r.global || !w.inside(r.root)) {
		if !r.global && r.part {
			return
		}
		w.order(Writer, pos, "the loop writes to the shared writer %s in iteration order", types.ExprString(e))
	}
}

func (w *walker) builtin(call *ast.CallExpr, name string) {
	switch name {
	case "copy", "delete", "clear":
		if len(call.Args) > 0 {
			w.sharedWrite(call.Args[0], call.Pos(), name)
		}
	case "panic":
		w.exitCall(call, "panic")
	case "print", "println":
		w.order(Output, call.Pos(), "the loop prints with %s in iteration order", name)
	}
}

// local handles a call of a function declared in the package: its effects,
// and the shared values the loop passes to parameters it writes through.
func (w *walker) local(call *ast.CallExpr, fn *types.Func, name string) {
	s := w.a.summary(fn, 0)
	if s.global != nil {
		w.dep(call.Pos(), "%s writes the package variable %s", name, s.global.Name())
	}
	if s.output != "" {
		w.order(Output, call.Pos(), "%s prints to standard output (%s) in iteration order", name, s.output)
	}
	if s.exit != "" {
		w.order(Exit, call.Pos(), "%s calls %s on an error path: run concurrently, a different error would end the program", name, s.exit)
	}
	if s.send != "" {
		w.order(Send, call.Pos(), "%s sends on %s in iteration order", name, s.send)
	}
	if s.spawns {
		w.res.AlreadyConcurrent = true
	}
	params := paramList(fn)
	for i, e := range astutil.Operands(w.info, call) {
		p := paramAt(params, i)
		if p == nil || !s.params[p] {
			continue
		}
		if isStdStream(w.info, e) {
			w.order(Output, call.Pos(), "%s writes to %s in iteration order", name, types.ExprString(e))
			continue
		}
		if r, addr, ok := w.sharedOperand(e, fn, i == 0 && fn.Signature().Recv() != nil); ok {
			w.dep(call.Pos(), "%s", sharedPhrase(name, e, r, addr, i == 0 && fn.Signature().Recv() != nil))
		}
	}
}

func sharedPhrase(name string, e ast.Expr, _ ref, addr, recv bool) string {
	what := types.ExprString(e)
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		what = types.ExprString(u.X)
	}
	switch {
	case recv:
		return "iterations call " + name + " on the shared " + what
	case addr:
		return "iterations call " + name + " with a pointer to shared " + what
	}
	return "iterations call " + name + " with shared " + what
}

// sharedOperand reports whether operand e of a call refers to memory
// declared outside the loop that the callee could change (e taken by
// address, of a reference type, or the receiver of a pointer method).
func (w *walker) sharedOperand(e ast.Expr, fn *types.Func, recv bool) (ref, bool, bool) {
	r := w.refOf(e)
	if r.root == nil || (!r.global && w.inside(r.root)) || r.part {
		return r, false, false
	}
	t := w.info.TypeOf(e)
	if t == nil || safeTypes[typeName(t)] {
		return r, false, false
	}
	addr := false
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		addr = true
	}
	if recv && fn != nil {
		if _, ptr := fn.Signature().Recv().Type().(*types.Pointer); ptr && !isPointer(t) {
			addr = true
		}
	}
	if !addr && !refersToMemory(t) && !types.IsInterface(t) {
		return r, false, false
	}
	if !addr && !recv && !refersToMemory(t) && r.global {
		return r, false, false
	}
	return r, addr, true
}

// operands handles the operands of a call of a function outside the
// package (fn nil for a call of a function value).
func (w *walker) operands(call *ast.CallExpr, fn *types.Func, name string) {
	isMethod := fn != nil && fn.Signature().Recv() != nil
	for i, e := range astutil.Operands(w.info, call) {
		recv := isMethod && i == 0 && isMethodCall(w.info, call)
		if isStdStream(w.info, e) {
			if fn == nil || !pureFunc(fn) {
				w.order(Output, call.Pos(), "the loop writes to %s in iteration order", types.ExprString(e))
			}
			continue
		}
		r, addr, ok := w.sharedOperand(e, fn, recv)
		if !ok {
			continue
		}
		if fn != nil {
			if pureFunc(fn) || ioCalls[fn.FullName()] || (!addr && !isMethod && readOnly(fn)) {
				continue
			}
			if recv && (fn.Name() == "Error" || fn.Name() == "String" || fn.Name() == "ReadAt") && fn.Signature().Params().Len() <= 2 {
				continue
			}
			if isBytes(w.info.TypeOf(e)) && readsInto(fn) && !recv {
				w.addScratch(r.root)
				continue
			}
		}
		t := w.info.TypeOf(e)
		switch {
		case hasMethod(t, "Read") && (!recv || readingMethod(fn)):
			w.dep(call.Pos(), "%s consumes the shared reader %s: each read continues where the last stopped", name, types.ExprString(e))
		case hasMethod(t, "Write") && !addr:
			w.order(Writer, call.Pos(), "the loop writes to the shared %s in iteration order (%s)", types.ExprString(e), name)
		default:
			w.dep(call.Pos(), "%s", sharedPhrase(name, e, r, addr, recv))
		}
	}
}

func (w *walker) addScratch(v *types.Var) {
	for _, s := range w.res.Scratch {
		if s == v {
			return
		}
	}
	w.res.Scratch = append(w.res.Scratch, v)
}

func isMethodCall(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	s := info.Selections[sel]
	return s != nil && s.Kind() == types.MethodVal
}

func pureFunc(fn *types.Func) bool { return loopinv.IsPure(fn) || readOnlyFuncs[fn.FullName()] }

func readOnly(fn *types.Func) bool {
	return fn.Pkg() != nil && fn.Signature().Recv() == nil && readOnlyPkgs[fn.Pkg().Path()]
}

func readingMethod(fn *types.Func) bool {
	if fn == nil {
		return true
	}
	for _, p := range []string{"Read", "Scan", "Next", "Decode", "Peek", "Discard", "Token"} {
		if strings.HasPrefix(fn.Name(), p) {
			return true
		}
	}
	return false
}

// readsInto reports whether fn fills a byte slice it is given as scratch
// space: a Read method, io.ReadFull, io.ReadAtLeast, io.CopyBuffer.
func readsInto(fn *types.Func) bool {
	if fn.Signature().Recv() != nil {
		return fn.Name() == "Read" || fn.Name() == "ReadAt"
	}
	switch fn.FullName() {
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

func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
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

func isStdStream(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && (v.Name() == "Stdout" || v.Name() == "Stderr")
}

// paramList returns the receiver (if any) and parameters of fn, in the
// order astutil.Operands lists a call's operands.
func paramList(fn *types.Func) []*types.Var {
	var ps []*types.Var
	sig := fn.Signature()
	if r := sig.Recv(); r != nil {
		ps = append(ps, r)
	}
	for v := range sig.Params().Variables() {
		ps = append(ps, v)
	}
	return ps
}

func paramAt(ps []*types.Var, i int) *types.Var {
	if len(ps) == 0 {
		return nil
	}
	if i >= len(ps) {
		return ps[len(ps)-1] // variadic
	}
	return ps[i]
}
