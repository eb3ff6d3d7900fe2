package lint

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

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
	HiddenHelper    = "test helper"   // in a package for tests: a directory named test*, *test(s), e2e, mock(s), fixtures
	HiddenDebug     = "debug output"  // in a function named Dump*, Debug*, dump*, debug*
	HiddenGenerator = "generator"     // in a code or doc generator: a directory named gen or *gen
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
	var file *ast.File
	for _, f := range pkg.Syntax {
		if pkg.Fset.File(f.FileStart) == tf {
			file = f
			break
		}
	}
	if file == nil {
		return ""
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	info := pkg.TypesInfo
	var fn *ast.FuncDecl
	var smallLoop, errorPath bool
	innermostLoop := true
	inFunc := false   // below a function declaration or literal
	calledNow := true // every function literal on the path is called where it is defined
	for i, n := range path {
		switch n := n.(type) {
		case *ast.FuncDecl:
			fn = n
			inFunc = true
		case *ast.FuncLit:
			inFunc = true
			if call, ok := parentOf(path, i).(*ast.CallExpr); !ok || ast.Unparen(call.Fun) != n {
				calledNow = false
			}
		case *ast.ForStmt, *ast.RangeStmt:
			if innermostLoop && !inFunc {
				innermostLoop = false
				if k, ok := loopinv.ConstTrips(info, n.(ast.Stmt)); ok && k <= smallTrips {
					smallLoop = true
				}
			}
		case *ast.BlockStmt:
			// A function body ending in a return of an error is the
			// function's normal exit; only inner blocks are error paths.
			if i+1 < len(path) && !inFunc {
				switch path[i+1].(type) {
				case *ast.FuncDecl, *ast.FuncLit:
				default:
					errorPath = errorPath || endsInFailure(info, n.List)
				}
			}
		case *ast.CaseClause:
			if !inFunc {
				errorPath = errorPath || endsInFailure(info, n.Body)
			}
		case *ast.CommClause:
			if !inFunc {
				errorPath = errorPath || endsInFailure(info, n.Body)
			}
		}
		if fn != nil {
			break
		}
	}
	switch {
	case fn == nil && calledNow, fn != nil && fn.Recv == nil && fn.Name.Name == "init":
		// Package-level initializers, including `var x = func() T {...}()`.
		return HiddenInit
	case fn != nil && fn.Recv != nil && isStringer(fn.Name.Name):
		return HiddenStringer
	case fn != nil && isDebug(fn.Name.Name):
		return HiddenDebug
	case errorPath:
		return HiddenErrorPath
	case smallLoop:
		return HiddenSmallLoop
	case rule == "sequentialio" && strings.Contains(message, "waits on file I/O"):
		return HiddenFileIO
	}
	return ""
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

func isStringer(name string) bool {
	switch name {
	case "String", "Error", "Format", "GoString":
		return true
	}
	return false
}

var errorType = types.Universe.Lookup("error").Type()

// endsInFailure reports whether a statement list ends the way an error path
// does: returning a non-nil error, panicking, or exiting (log.Fatal*,
// os.Exit, t.Fatal*).
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
			return sig != nil && sig.Recv() != nil && (strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic"))
		}
	}
	return false
}
