package lint

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"
)

// Why a finding is hidden from the default output of advisor lint. Without
// a profile, the rules cannot tell hot code from cold; these are the places
// where a finding is almost never worth a change (measured on 28 modules:
// about 1 in 10 findings was, most of the rest sat in such places). The
// finding is still real: --all shows it, and a profile that finds the code
// hot shows it too.
const (
	HiddenTest      = "test file"     // in a _test.go file
	HiddenInit      = "init"          // in init or a package-level initializer: runs once
	HiddenStringer  = "String method" // in a String, Error, Format or GoString method: debug and error output
	HiddenErrorPath = "error path"    // in a block that ends by returning an error, panicking or exiting
	HiddenSmallLoop = "small loop"    // in a loop with a constant trip count of at most 8
	HiddenFileIO    = "file I/O"      // sequential file-system calls: local files rarely overlap well; a profile must show the wait
	HiddenCold      = "cold"          // the profile gives its code less than the minimum share
	// HiddenUnprofiled: with a profile, a finding in a package none of
	// whose code the profile sampled (its benchmarks or its run never
	// reached it): the profile says nothing about it, so it is not called
	// cold.
	HiddenUnprofiled = "not profiled"
	HiddenHelper     = "test helper"  // in a package for tests: a directory named test*, *test(s), e2e, mock(s), fixtures
	HiddenDebug      = "debug output" // in a function named Dump*, Debug*, dump*, debug*, or under `if debug {` (trace, verbose)
	HiddenGenerator  = "generator"    // in a code or doc generator: a directory named gen or *gen, or a main package below the module root that imports go/format
	// HiddenColdCallers: in an unexported function that only places hidden
	// for another reason call (String methods, debug output, error paths,
	// init, the arguments of error and log calls), directly or through
	// functions called only from there.
	HiddenColdCallers = "cold callers"
	// HiddenSerialized: a prealloc finding on a slice that is only
	// marshaled, encoded or written after the loop: encoding each element
	// costs far more than the growth (at most two copies of each element
	// and log2(n) allocations).
	HiddenSerialized = "serialized"
	// HiddenHelp: in a function named for help, usage, suggestion or
	// shell-completion text (printHelp, prepareUsageText, SuggestionsFor).
	HiddenHelp = "help text"
	// HiddenGenerated: in a generated file (a "// Code generated ... DO NOT
	// EDIT." comment, ast.IsGenerated): the change belongs in its generator,
	// and golangci-lint leaves such files out by default too.
	HiddenGenerated = "generated"
	// HiddenOnce: a finding whose waste is a fixed cost per run of one
	// loop (prealloc, bufreuse, hoistpure, sprintfconv) or per call
	// (lookuponce, equalfold), in code nothing in its package visibly
	// runs again and again: not in a further loop, not in a callback, in a
	// function that is not recursive and that no loop calls, directly or
	// through its callers (main, init and exported functions the package
	// calls only once per call of theirs end the walk). Such code wastes a
	// few allocations or lookups per call; a profile shows when the calls
	// add up.
	HiddenOnce = "once per call"
	// HiddenMicro: a finding whose fix saves a fixed few nanoseconds each
	// time the code runs, with nothing to say that it runs often: a map
	// key looked up twice (lookuponce: one more hash of the key), or a
	// linear search of a slice the loop does not change (linearsearch:
	// such slices are mostly a handful of versions, options or names,
	// which a few comparisons search faster than a map is built). On std
	// and 27 modules, 1 of 32 was worth a change; a profile that finds the
	// code hot shows them.
	HiddenMicro = "micro"
)

// smallTrips is the largest constant trip count of a loop whose findings
// are hidden: a handful of iterations cannot waste much.
const smallTrips = 8

// hiddenReason says why a finding of rule at pos, in pkg, is likely of
// little value without a profile ("" when it is not).
func hiddenReason(pkg *packages.Package, pos token.Pos, rule, message string) string {
	tf := pkg.Fset.File(pos)
	if tf == nil {
		return ""
	}
	if strings.HasSuffix(tf.Name(), "_test.go") {
		return HiddenTest
	}
	if r := dirReason(pkg); r != "" {
		return r
	}
	file := fileOf(pkg, tf)
	if file == nil {
		return ""
	}
	if ast.IsGenerated(file) {
		return HiddenGenerated
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	pl := placeOf(pkg.TypesInfo, path)
	switch {
	case pl.reason != "":
		return pl.reason
	case pl.smallLoop:
		return HiddenSmallLoop
	case rule == "sequentialio" && strings.Contains(message, "waits on file I/O"):
		return HiddenFileIO
	case rule == "prealloc" && serializedAfter(pkg.TypesInfo, path):
		return HiddenSerialized
	case rule == "lookuponce", rule == "linearsearch":
		return HiddenMicro
	}
	// One index of the package's references serves both walks (each a
	// pass over all of TypesInfo.Uses to build); each walk gets its own
	// budget of sites.
	var c *callers
	index := func() *callers {
		if c == nil {
			c = newCallers(pkg)
		}
		c.steps = 0
		return c
	}
	if pl.fn != nil && pl.calledNow && !pl.fn.Name.IsExported() && index().cold(pl.fn, 0) {
		return HiddenColdCallers
	}
	if own, ok := ownLoops(rule); ok && !index().repeated(path, own) {
		return HiddenOnce
	}
	return ""
}

func fileOf(pkg *packages.Package, tf *token.File) *ast.File {
	for _, f := range pkg.Syntax {
		if pkg.Fset.File(f.FileStart) == tf {
			return f
		}
	}
	return nil
}

// place is what the syntax around a position says about how often the code
// there runs.
type place struct {
	reason    string        // HiddenInit, HiddenStringer, HiddenDebug or HiddenErrorPath; "" for none
	smallLoop bool          // in a loop with a small constant trip count
	fn        *ast.FuncDecl // the enclosing function declaration (nil at package level)
	calledNow bool          // every function literal on the way to fn is called where it is defined
}

// placeOf reads the place of the innermost node of path (as
// astutil.PathEnclosingInterval returns it).
func placeOf(info *types.Info, path []ast.Node) place {
	var pl place
	var errorPath, debugGuard bool
	innermostLoop := true
	inFunc := false // below a function declaration or literal
	pl.calledNow = true
	for i, n := range path {
		switch n := n.(type) {
		case *ast.FuncDecl:
			pl.fn = n
			inFunc = true
		case *ast.FuncLit:
			inFunc = true
			if call, ok := parentOf(path, i).(*ast.CallExpr); !ok || ast.Unparen(call.Fun) != n {
				pl.calledNow = false
			}
		case *ast.ForStmt, *ast.RangeStmt:
			if innermostLoop && !inFunc {
				innermostLoop = false
				if k, ok := loopinv.ConstTrips(info, n.(ast.Stmt)); ok && k <= smallTrips {
					pl.smallLoop = true
				}
			}
		case *ast.IfStmt:
			// The body of `if debug {` or `if check.conf._Trace {`: output
			// that someone turns on to look at the program.
			if i > 0 && path[i-1] == n.Body && debugCond(info, n.Cond) {
				debugGuard = true
			}
		case *ast.BlockStmt:
			// A function body ending in a return of an error is the
			// function's normal exit; only inner blocks are error paths.
			if i+1 < len(path) && !inFunc {
				switch path[i+1].(type) {
				case *ast.FuncDecl, *ast.FuncLit:
				default:
					errorPath = errorPath || failsFrom(info, n.List, path, i)
				}
			}
		case *ast.CaseClause:
			if !inFunc {
				errorPath = errorPath || failsFrom(info, n.Body, path, i)
			}
		case *ast.CommClause:
			if !inFunc {
				errorPath = errorPath || failsFrom(info, n.Body, path, i)
			}
		}
		if pl.fn != nil {
			break
		}
	}
	fn := pl.fn
	switch {
	case fn == nil && pl.calledNow, fn != nil && fn.Recv == nil && fn.Name.Name == "init":
		// Package-level initializers, including `var x = func() T {...}()`.
		pl.reason = HiddenInit
	case fn != nil && fn.Recv != nil && isStringer(fn.Name.Name):
		pl.reason = HiddenStringer
	case fn != nil && isDebug(fn.Name.Name), debugGuard:
		pl.reason = HiddenDebug
	case fn != nil && isHelp(fn.Name.Name):
		pl.reason = HiddenHelp
	case errorPath:
		pl.reason = HiddenErrorPath
	}
	return pl
}

// debugCond reports whether an if condition is a debugging switch: a
// boolean variable, field or constant named like debug, trace(ing) or
// verbose (any of the conjuncts of an &&), or the constant false.
func debugCond(info *types.Info, cond ast.Expr) bool {
	cond = ast.Unparen(cond)
	if b, ok := cond.(*ast.BinaryExpr); ok && b.Op == token.LAND {
		return debugCond(info, b.X) || debugCond(info, b.Y)
	}
	if tv, ok := info.Types[cond]; ok && tv.Value != nil && tv.Value.String() == "false" {
		return true
	}
	var name string
	switch c := cond.(type) {
	case *ast.Ident:
		name = c.Name
	case *ast.SelectorExpr:
		name = c.Sel.Name
	default:
		return false
	}
	if t, ok := info.TypeOf(cond).Underlying().(*types.Basic); !ok || t.Kind() != types.Bool {
		return false
	}
	name = strings.ToLower(name)
	for _, w := range []string{"debug", "trace", "tracing", "verbose"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// serializedAfter reports, for a prealloc finding at path[0] (the append
// in `v = append(v, x)`), whether every use of v after its loop is an
// argument of a call named Marshal*, Encode* or Write* (in any case:
// asn1.Marshal, (*json.Encoder).Encode, w.Write) or a further append to v.
func serializedAfter(info *types.Info, path []ast.Node) bool {
	var v *types.Var
	var loop, body ast.Node
	for i, n := range path {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if v == nil && len(n.Lhs) == 1 && i > 0 && len(n.Rhs) == 1 && n.Rhs[0] == path[i-1] {
				if id, ok := ast.Unparen(n.Lhs[0]).(*ast.Ident); ok {
					v, _ = info.Uses[id].(*types.Var)
				}
			}
		case *ast.ForStmt, *ast.RangeStmt:
			if loop == nil {
				loop = n
			}
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		}
		if body != nil {
			break
		}
	}
	if v == nil || loop == nil || body == nil {
		return false
	}
	uses := 0
	ok := true
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isID := n.(*ast.Ident)
		if !ok || !isID || info.Uses[id] != v || id.Pos() < loop.End() {
			return ok
		}
		uses++
		if !serializedUse(info, stack) {
			ok = false
		}
		return ok
	})
	return ok && uses > 0
}

// serializedUse reports whether the identifier on top of stack (its
// ancestors below it) is an argument of a serializing call, or the
// variable of `v = append(v, ...)`.
func serializedUse(info *types.Info, stack []ast.Node) bool {
	id := stack[len(stack)-1]
	if len(stack) < 2 {
		return false
	}
	switch p := stack[len(stack)-2].(type) {
	case *ast.AssignStmt:
		// v = append(v, ...): the left side.
		if len(p.Lhs) == 1 && p.Lhs[0] == id && len(p.Rhs) == 1 {
			call, ok := ast.Unparen(p.Rhs[0]).(*ast.CallExpr)
			return ok && isAppendTo(info, call, id.(*ast.Ident))
		}
	case *ast.CallExpr:
		if slices.Contains(p.Args, ast.Expr(id.(*ast.Ident))) {
			if isAppendTo(info, p, id.(*ast.Ident)) {
				return true
			}
			var name string
			switch fun := typeutil.Callee(info, p).(type) {
			case *types.Func:
				name = fun.Name()
			case *types.Var: // a function-typed variable or field
				name = fun.Name()
			}
			name = strings.ToLower(name)
			if strings.HasPrefix(name, "marshal") || strings.HasPrefix(name, "encode") {
				return true
			}
			// Writing a slice of bytes or numbers is a copy, cheaper than
			// the growth; writing structured elements is not.
			sl, isSlice := info.TypeOf(id.(*ast.Ident)).Underlying().(*types.Slice)
			_, basic := sl.Elem().Underlying().(*types.Basic)
			return isSlice && !basic && strings.HasPrefix(name, "write")
		}
	}
	return false
}

// isAppendTo reports whether call is append(v, ...) for id's variable v.
func isAppendTo(info *types.Info, call *ast.CallExpr, id *ast.Ident) bool {
	b, ok := typeutil.Callee(info, call).(*types.Builtin)
	if !ok || b.Name() != "append" || len(call.Args) == 0 {
		return false
	}
	first, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	return ok && info.Uses[first] == info.Uses[id]
}

// parentOf returns the node enclosing path[i], skipping parentheses.
func parentOf(path []ast.Node, i int) ast.Node {
	for j := i + 1; j < len(path); j++ {
		if _, ok := path[j].(*ast.ParenExpr); !ok {
			return path[j]
		}
	}
	return nil
}

// dirReason hides findings of packages that exist for tests or generate
// code, judged by their import path (within the module: a test helper
// directory of a module is not a product package).
func dirReason(pkg *packages.Package) string {
	path := pkg.PkgPath
	if pkg.Module != nil {
		path = strings.TrimPrefix(strings.TrimPrefix(path, pkg.Module.Path), "/")
	}
	// A main package below the module's root that formats Go source is a
	// code generator run by go generate (expr's vm/runtime/helpers).
	if pkg.Name == "main" && pkg.Module != nil && pkg.PkgPath != pkg.Module.Path && pkg.Imports["go/format"] != nil {
		return HiddenGenerator
	}
	for elem := range strings.SplitSeq(path, "/") {
		e := strings.ToLower(elem)
		switch {
		case strings.HasPrefix(e, "test") || strings.HasSuffix(e, "test") && !ordinaryTest[e] ||
			strings.HasSuffix(e, "tests") || strings.Contains(e, "-test") || strings.Contains(e, "_test") ||
			e == "e2e" || e == "fixtures" || e == "mocks" || e == "mock":
			return HiddenHelper
		case e == "gen" || strings.HasSuffix(e, "gen") && len(e) > 3:
			return HiddenGenerator
		}
	}
	return ""
}

// ordinaryTest are words ending in "test" that are not about tests.
var ordinaryTest = map[string]bool{"latest": true, "attest": true, "contest": true, "protest": true}

// isDebug reports whether a function's name says it prints debugging
// output.
func isDebug(name string) bool {
	for _, p := range []string{"Dump", "dump", "Debug", "debug"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// isHelp reports whether a function's name says it builds help, usage,
// suggestion or shell-completion text for a command line: it runs once per
// invocation, when someone reads what it prints. The words must be whole
// camel-case words (Helper and Usages of other kinds do not count).
//
// "Usage" also names resource use (cpuUsage, updateUsage): it counts only
// alone or beside a word about text (printUsage, usageText, UsageTemplate).
func isHelp(name string) bool {
	words := camelWords(name)
	usage, text := false, false
	for _, w := range words {
		switch strings.ToLower(w) {
		case "help", "suggest", "suggestion", "suggestions", "completion", "completions":
			return true
		case "usage":
			usage = true
		case "print", "show", "write", "text", "template", "string", "format", "prepare", "msg", "message", "func":
			text = true
		}
	}
	return usage && (text || len(words) == 1)
}

// camelWords splits a Go identifier into its camel-case words
// (printHelpCustom: print, Help, Custom; HTTPServer: HTTP, Server).
func camelWords(name string) []string {
	var words []string
	start := 0
	rs := []rune(name)
	for i := 1; i < len(rs); i++ {
		lower := func(r rune) bool { return unicode.IsLower(r) || unicode.IsDigit(r) }
		if rs[i] == '_' {
			words = append(words, string(rs[start:i]))
			start = i + 1
			continue
		}
		if unicode.IsUpper(rs[i]) && (lower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
			if i > start {
				words = append(words, string(rs[start:i]))
			}
			start = i
		}
	}
	if start < len(rs) {
		words = append(words, string(rs[start:]))
	}
	return words
}

func isStringer(name string) bool {
	switch name {
	case "String", "Error", "Format", "GoString":
		return true
	}
	return false
}

var errorType = types.Universe.Lookup("error").Type()

// failsFrom reports whether the statement list (the body of path[i]) ends
// the way an error path does and nothing from the statement holding
// path[0] to the end can leave it otherwise: a return that is not a
// failure, a goto, or a break or continue out of the list. A long block
// that does the work, jumps out on success and fails at its end is not an
// error path.
func failsFrom(info *types.Info, list []ast.Stmt, path []ast.Node, i int) bool {
	if !endsInFailure(info, list) || i == 0 {
		return false
	}
	from := slices.IndexFunc(list, func(s ast.Stmt) bool { return ast.Node(s) == path[i-1] })
	if from < 0 {
		return false
	}
	for _, s := range list[from:] {
		if leaves(info, s, false) {
			return false
		}
	}
	return true
}

// leaves reports whether s holds a return other than a failure, a goto, a
// labeled break or continue, or (outside loops, switches and selects
// nested in s: inLoop) a plain break or continue.
func leaves(info *types.Info, s ast.Node, inLoop bool) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if !endsInFailure(info, []ast.Stmt{n}) {
				found = true
			}
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Label != nil || !inLoop && (n.Tok == token.BREAK || n.Tok == token.CONTINUE) {
				found = true
			}
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			if !inLoop {
				found = found || leaves(info, n, true)
				return false
			}
		}
		return true
	})
	return found
}

// endsInFailure reports whether a statement list ends the way an error path
// does: returning a non-nil error, panicking, exiting (log.Fatal*, os.Exit,
// t.Fatal*), or recording an error (check.errorf(...), errs = append(errs,
// err)).
func endsInFailure(info *types.Info, list []ast.Stmt) bool {
	if len(list) == 0 {
		return false
	}
	switch s := list[len(list)-1].(type) {
	case *ast.ReturnStmt:
		if len(s.Results) == 0 {
			return false
		}
		last := s.Results[len(s.Results)-1]
		if id, ok := ast.Unparen(last).(*ast.Ident); ok && id.Name == "nil" {
			return false
		}
		t := info.TypeOf(last)
		return t != nil && types.Identical(t, errorType)
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		switch fn := typeutil.Callee(info, call).(type) {
		case *types.Builtin:
			return fn.Name() == "panic"
		case *types.Func:
			name := fn.Name()
			if fn.Pkg() != nil {
				switch fn.Pkg().Path() {
				case "log":
					return strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")
				case "os":
					return name == "Exit"
				case "testing":
					return strings.HasPrefix(name, "Fatal") || name == "FailNow" || strings.HasPrefix(name, "Skip")
				case "log/slog":
					return false
				}
			}
			// Loggers of other packages (zap, logrus, klog): Fatal and Panic
			// methods exit too.
			sig, _ := fn.Type().(*types.Signature)
			if sig != nil && sig.Recv() != nil && (strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")) {
				return true
			}
			return recordsError(fn)
		}
	case *ast.AssignStmt:
		// errs = append(errs, err) or diags = append(diags, &Diagnostic{...}):
		// a parser or checker that collects its errors instead of
		// returning the first one.
		if len(s.Lhs) != 1 || len(s.Rhs) != 1 {
			return false
		}
		call, ok := ast.Unparen(s.Rhs[0]).(*ast.CallExpr)
		if !ok || len(call.Args) < 2 || call.Ellipsis.IsValid() {
			return false
		}
		if b, ok := typeutil.Callee(info, call).(*types.Builtin); !ok || b.Name() != "append" {
			return false
		}
		t := info.TypeOf(call.Args[len(call.Args)-1])
		return t != nil && types.Implements(t, errorIface)
	}
	return false
}

var errorIface = errorType.Underlying().(*types.Interface)

// recordsError reports whether a call of fn as a statement records an
// error: a method named errorf, softErrorf, Errorf, Error or error (a
// checker's or parser's own reporting: go/types' check.errorf), or any
// method of a type named *Error(s) (go/types' err.report()). Warnings,
// logs and traces are not errors; they do not count.
func recordsError(fn *types.Func) bool {
	sig := fn.Signature()
	if sig.Recv() == nil {
		return false
	}
	switch strings.ToLower(fn.Name()) {
	case "errorf", "softerrorf", "error", "adderror", "adderrorf":
		return sig.Results().Len() == 0
	}
	recv := sig.Recv().Type()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	if named, ok := recv.(*types.Named); ok {
		n := strings.ToLower(strings.Trim(named.Obj().Name(), "_"))
		return strings.HasSuffix(n, "error") || strings.HasSuffix(n, "errors")
	}
	return false
}
