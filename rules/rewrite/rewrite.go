// Package rewrite holds advisor's template rewrites for the structural
// levers that no single analyzer can fix locally: running the iterations
// of an I/O loop as bounded goroutines (errgroup with SetLimit, or a
// semaphore channel and a sync.WaitGroup when the module does not require
// golang.org/x/sync) and spreading the iterations of a CPU loop over a
// pool of GOMAXPROCS workers; and building a string in a strings.Builder.
// It also decides whether a function is pure, which gates the memoization
// fix of rules/overlaprecursion.
//
// The concurrency templates apply only to loops that rules/internal/loopdep
// finds independent, reductions (partial results per worker) or ordered
// (the effects whose order shows run afterwards, in order); a dependent
// loop is declined with loopdep's reason. Every rewrite is type-checked as
// part of its package before it is returned. A template that does not
// apply returns an error wrapping ErrNoMatch that says why. The output is
// the whole new file content, gofmt'd; nothing is written.
package rewrite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"go/version"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	xastutil "golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// ErrNoMatch is wrapped by the errors of templates that do not apply; the
// rest of the message says why ("declined: loop at line 12: each
// iteration uses h from the previous one").
var ErrNoMatch = errors.New("declined")

// Rewrite is the new content of the one file a template changed.
type Rewrite struct {
	// Kind is the recommendation kind the rewrite implements
	// (analyze.KindGoroutines, analyze.KindWorkers).
	Kind string
	// File is the absolute path of the changed file; Old its content as
	// loaded and New the rewritten, gofmt'd content.
	File     string
	Old, New []byte
	// Concurrent reports that the rewrite starts goroutines, so the
	// package's tests must run with -race.
	Concurrent bool
	// Message says what the rewrite does, for the report.
	Message string
}

// Package is a type-checked package, the input of the templates.
type Package struct {
	Fset  *token.FileSet
	Files []*ast.File
	Info  *types.Info
	Types *types.Package
	// HasErrgroup reports whether golang.org/x/sync is a dependency of the
	// package's module, so that the goroutines template may import errgroup.
	HasErrgroup bool
	// Importer, if set, resolves the imports of a rewritten file that the
	// package's import graph lacks (for packages not made by Load).
	Importer types.Importer

	dir     string                    // where Load ran
	imports map[string]*types.Package // the import graph, by path (see importPkg)
}

// Load type-checks the package matching pattern (one package, without its
// tests) in dir.
func Load(ctx context.Context, dir, pattern string) (*Package, error) {
	cfg := &packages.Config{
		Context: ctx,
		Dir:     dir,
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedModule,
	}
	pkgs, err := packages.Load(cfg, pattern)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", pattern, err)
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("load %s: matched %d packages, want 1", pattern, len(pkgs))
	}
	p := pkgs[0]
	if len(p.Errors) > 0 {
		return nil, fmt.Errorf("load %s: %v", pattern, p.Errors[0])
	}
	hasSync := false
	if p.Module != nil && p.Module.GoMod != "" {
		if hasSync, err = requires(ctx, p.Module.GoMod, "golang.org/x/sync"); err != nil {
			return nil, err
		}
	}
	return &Package{Fset: p.Fset, Files: p.Syntax, Info: p.TypesInfo, Types: p.Types, HasErrgroup: hasSync, dir: dir}, nil
}

// requires reports whether the go.mod file gomod requires module path
// (directly or as // indirect): only then may a rewrite import it without
// editing go.mod.
func requires(ctx context.Context, gomod, path string) (bool, error) {
	out, err := exec.CommandContext(ctx, "go", "mod", "edit", "-json", gomod).Output()
	if err != nil {
		return false, fmt.Errorf("read %s: %w", gomod, err)
	}
	var mf struct{ Require []struct{ Path string } }
	if err := json.Unmarshal(out, &mf); err != nil {
		return false, fmt.Errorf("read %s: %w", gomod, err)
	}
	for _, r := range mf.Require {
		if r.Path == path {
			return true, nil
		}
	}
	return false, nil
}

// fileAt returns the syntax of the named file and its source.
func (p *Package) fileAt(name string) (*ast.File, []byte, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, nil, fmt.Errorf("resolve %s: %w", name, err)
	}
	for _, f := range p.Files {
		if p.Fset.File(f.Pos()).Name() == abs {
			src, err := os.ReadFile(abs)
			if err != nil {
				return nil, nil, fmt.Errorf("read %s: %w", abs, err)
			}
			return f, src, nil
		}
	}
	return nil, nil, fmt.Errorf("%s is not a file of package %s", abs, p.Types.Path())
}

// loopsAt returns the for and range statements of f that contain line,
// outermost first, within the innermost function declaration containing
// line, and that declaration.
func (p *Package) loopsAt(f *ast.File, line int) ([]ast.Stmt, *ast.FuncDecl) {
	var fd *ast.FuncDecl
	for _, d := range f.Decls {
		if d, ok := d.(*ast.FuncDecl); ok && d.Body != nil && p.line(d.Pos()) <= line && line <= p.line(d.End()) {
			fd = d
		}
	}
	if fd == nil {
		return nil, nil
	}
	var loops []ast.Stmt
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == nil || p.line(n.Pos()) > line || p.line(n.End()) < line {
			return false
		}
		switch n.(type) {
		case *ast.FuncLit:
			return false // a loop inside a closure runs under other rules
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n.(ast.Stmt))
		}
		return true
	})
	return loops, fd
}

func (p *Package) line(pos token.Pos) int { return p.Fset.Position(pos).Line }

// goVersionOK reports whether the file is compiled with per-iteration loop
// variables (Go 1.22), which the templates rely on when goroutines capture
// the loop variable.
func (p *Package) goVersionOK(f *ast.File) bool {
	v := p.Info.FileVersions[f]
	return v == "" || version.Compare(v, "go1.22") >= 0
}

func noMatch(why string) error { return fmt.Errorf("%w: %s", ErrNoMatch, why) }

// declined collects why each loop a template tried did not qualify.
type declined struct {
	reasons []string
	other   error // a failure that is not ErrNoMatch (a bug, or I/O)
}

func (d *declined) add(p *Package, loop ast.Stmt, err error) {
	if !errors.Is(err, ErrNoMatch) {
		d.other = cmpOr(d.other, err)
		return
	}
	why := strings.TrimPrefix(err.Error(), ErrNoMatch.Error()+": ")
	d.reasons = append(d.reasons, fmt.Sprintf("loop at line %d: %s", p.line(loop.Pos()), why))
}

// err returns the collected reasons as one ErrNoMatch (or the other
// failure); fallback explains an empty list.
func (d *declined) err(fallback string) error {
	switch {
	case d.other != nil:
		return d.other
	case len(d.reasons) == 0:
		return noMatch(fallback)
	}
	return noMatch(strings.Join(d.reasons, "; "))
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// sameVar reports whether e is an identifier for the variable id defines.
func sameVar(info *types.Info, e ast.Expr, id *ast.Ident) bool {
	x, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.Uses[x] != nil && info.Uses[x] == info.Defs[id]
}

// writes returns the variables that n assigns, increments, or takes the
// address of (through an identifier, or as the root of an index or
// selector expression).
func writes(info *types.Info, n ast.Node) map[*types.Var]bool {
	w := map[*types.Var]bool{}
	mark := func(e ast.Expr) {
		if v := astutil.RootVar(info, e); v != nil {
			w[v] = true
		}
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					mark(l)
				}
			}
		case *ast.IncDecStmt:
			mark(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(n.X)
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				mark(n.Key)
				if n.Value != nil {
					mark(n.Value)
				}
			}
		}
		return true
	})
	return w
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// freeVars returns the variables n refers to.
func freeVars(info *types.Info, n ast.Node) map[*types.Var]bool {
	vs := map[*types.Var]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() {
				vs[v] = true
			}
		}
		return true
	})
	return vs
}

// hasCall reports whether n calls a function other than builtins,
// conversions and those allow accepts.
func hasCall(info *types.Info, n ast.Node, allow func(*types.Func) bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
			return true // a conversion
		}
		switch obj := calleeObj(info, call).(type) {
		case *types.Builtin:
		case *types.Func:
			if !allow(obj) {
				found = true
			}
		default:
			found = true
		}
		return !found
	})
	return found
}

// calleeObj returns the object a call calls: a *types.Func, a
// *types.Builtin, or a variable for calls of function values.
func calleeObj(info *types.Info, call *ast.CallExpr) types.Object {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return info.Uses[f]
	case *ast.SelectorExpr:
		return info.Uses[f.Sel]
	case *ast.IndexExpr: // an explicit instantiation
		if id := identOf(f.X); id != nil {
			return info.Uses[id]
		}
	}
	return nil
}

// declaredIn reports whether v is declared within n's source range.
func declaredIn(v *types.Var, n ast.Node) bool {
	return v.Pos() >= n.Pos() && v.Pos() < n.End()
}

// fresh returns name, or name with a number appended, that neither names
// anything visible at pos nor occurs in avoid.
func fresh(scope *types.Scope, pos token.Pos, avoid map[string]bool, name string) string {
	cand := name
	for i := 2; ; i++ {
		if _, obj := scope.LookupParent(cand, pos); obj == nil && !avoid[cand] {
			avoid[cand] = true
			return cand
		}
		cand = fmt.Sprintf("%s%d", name, i)
	}
}

// identNames returns every identifier name in n.
func identNames(n ast.Node) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			names[id.Name] = true
		}
		return true
	})
	return names
}

// splice replaces src[start:end] with repl, adds imports, and formats.
func splice(fset *token.FileSet, name string, src []byte, start, end int, repl string, imports ...string) ([]byte, error) {
	var b bytes.Buffer
	b.Write(src[:start])
	b.WriteString(repl)
	b.Write(src[end:])
	fs := token.NewFileSet()
	f, err := parser.ParseFile(fs, name, b.Bytes(), parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("rewritten %s does not parse: %w", filepath.Base(name), err)
	}
	for _, imp := range imports {
		xastutil.AddImport(fs, f, imp)
	}
	var out bytes.Buffer
	if err := format.Node(&out, fs, f); err != nil {
		return nil, fmt.Errorf("format rewritten %s: %w", filepath.Base(name), err)
	}
	return out.Bytes(), nil
}

// typeString prints t as the file's package sees it.
func (p *Package) typeString(t types.Type, f *ast.File) (string, error) {
	imported := map[string]string{} // path → name in this file
	for _, imp := range f.Imports {
		path := strings.Trim(imp.Path.Value, `"`)
		name := ""
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imported[path] = name
	}
	ok := true
	s := types.TypeString(t, func(pkg *types.Package) string {
		if pkg == p.Types {
			return ""
		}
		name, found := imported[pkg.Path()]
		if !found {
			ok = false
		}
		if name == "" {
			return pkg.Name()
		}
		return name
	})
	if !ok {
		return "", noMatch("a result type is from a package the file does not import")
	}
	return s, nil
}

func within(n ast.Node, blocks []ast.Node) bool {
	for _, b := range blocks {
		if n.Pos() >= b.Pos() && n.End() <= b.End() {
			return true
		}
	}
	return false
}

// uses reports whether n refers to obj.
func uses(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}
