package lint

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Packages are analyzed one at a time, each type-checked from source with
// its dependencies' types read from the export data the go command
// compiled (as go vet's tool processes do), so that memory holds the
// syntax and types of a few packages at once rather than of all of them.
// The listing (go list -export -deps) is the only whole-graph step.

// listMode is what the listing asks of go list: file lists, the import
// graph with every package's export data file, and module and sizes
// information, and ForTest to tell test variants; no syntax or types.
const listMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedDeps | packages.NeedExportFile |
	packages.NeedModule | packages.NeedTypesSizes | packages.NeedForTest

// source is the content of a package's compiled Go files, read once for
// both the cache key and the parser.
type source struct {
	names    []string // lp.CompiledGoFiles
	contents [][]byte // nil where the file could not be read
	errs     []error  // read errors, parallel
}

func readSources(lp *packages.Package) source {
	s := source{names: lp.CompiledGoFiles}
	s.contents = make([][]byte, len(s.names))
	s.errs = make([]error, len(s.names))
	for i, name := range s.names {
		s.contents[i], s.errs[i] = os.ReadFile(name) //advisor:ignore sequentialio the files of one package; packages are read in parallel
	}
	return s
}

// typeCheckSource returns a copy of the listed package lp with its
// syntax, types and type information, as go/packages would load it for a
// root package (same parser mode, type-checker configuration and error
// conversion), and records each file's hash in hashes.
func typeCheckSource(lp *packages.Package, src source, hashes *fileHashes) *packages.Package {
	p := *lp
	p.Errors = slices.Clone(lp.Errors)
	p.Fset = token.NewFileSet()
	p.Syntax = nil
	for i, name := range src.names {
		if src.errs[i] != nil {
			var pe *os.PathError
			if errors.As(src.errs[i], &pe) {
				p.Errors = append(p.Errors, packages.Error{Pos: pe.Path + ":1", Msg: pe.Err.Error(), Kind: packages.ParseError})
			} else {
				p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: src.errs[i].Error(), Kind: packages.ParseError})
			}
			continue
		}
		hashes.put(name, src.contents[i])
		f, err := parser.ParseFile(p.Fset, name, src.contents[i], parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				p.Errors = append(p.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
			}
		} else if err != nil {
			p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.ParseError})
		}
		if f != nil {
			p.Syntax = append(p.Syntax, f)
		}
	}
	p.Types = types.NewPackage(lp.PkgPath, lp.Name)
	p.TypesInfo = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	imp := newExportImporter(lp, p.Fset)
	tc := &types.Config{
		Importer: imp,
		Error: func(err error) {
			var te types.Error
			if errors.As(err, &te) {
				p.TypeErrors = append(p.TypeErrors, te)
				p.Errors = append(p.Errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
				return
			}
			p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
		},
		Sizes:     lp.TypesSizes,
		GoVersion: goVersion(lp),
	}
	typErr := types.NewChecker(tc, p.Fset, p.Types, p.TypesInfo).Files(p.Syntax)
	if typErr != nil && len(p.Errors) == 0 {
		p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: typErr.Error(), Kind: packages.TypeError})
	}
	p.Imports = imp.imported
	p.IllTyped = len(p.Errors) > 0
	return &p
}

// goVersion is the language version the package is checked at, as
// go/packages chooses it: its module's go line, or for packages in no
// module (std) the version of the toolchain.
func goVersion(lp *packages.Package) string {
	if lp.Module != nil && lp.Module.GoVersion != "" {
		return "go" + lp.Module.GoVersion
	}
	if tags := build.Default.ReleaseTags; len(tags) > 0 {
		return tags[len(tags)-1]
	}
	return ""
}

// exportImporter imports a package's dependencies from the export data
// files of the listing. imported collects what was imported, keyed by
// import path like packages.Package.Imports, for the fix re-check.
type exportImporter struct {
	lp       *packages.Package
	gc       types.Importer
	imported map[string]*packages.Package
}

func newExportImporter(lp *packages.Package, fset *token.FileSet) *exportImporter {
	deps := make(map[string]*packages.Package) // package path -> the listing's package, over lp's dependencies
	var visit func(*packages.Package)
	visit = func(q *packages.Package) {
		for _, d := range q.Imports {
			if deps[d.PkgPath] == nil {
				deps[d.PkgPath] = d
				visit(d)
			}
		}
	}
	visit(lp)
	lookup := func(path string) (io.ReadCloser, error) {
		d := deps[path]
		switch {
		case d != nil && d.ExportFile == "" && len(d.Errors) > 0:
			// The go command could not build it: say why (a module the
			// proxy does not serve, a dependency that does not compile)
			// rather than only that its export data is missing.
			return nil, fmt.Errorf("%s", goErrorLine(d.Errors[0].Msg))
		case d == nil || d.ExportFile == "":
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(d.ExportFile)
	}
	return &exportImporter{lp: lp, gc: importer.ForCompiler(fset, "gc", lookup), imported: make(map[string]*packages.Package)}
}

func (im *exportImporter) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	dep, ok := im.lp.Imports[path]
	if !ok {
		return nil, fmt.Errorf("no metadata for %s", path)
	}
	tp, err := im.gc.Import(dep.PkgPath)
	if err != nil {
		return nil, err
	}
	im.imported[path] = &packages.Package{ID: dep.ID, Name: dep.Name, PkgPath: dep.PkgPath, Types: tp}
	return tp, nil
}

// goErrorLine is the first line of a go command error that says something:
// build failures start with a "# import/path" header line.
func goErrorLine(msg string) string {
	for line := range strings.SplitSeq(msg, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "# ") {
			return line
		}
	}
	return strings.TrimSpace(msg)
}
