package rewrite

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"path/filepath"
	"runtime"

	"golang.org/x/tools/go/packages"
)

// Check type-checks the package with rw's file replaced by its new
// content, as the compiler would; a rewrite that does not type-check is
// declined (ErrNoMatch, with the first error) before anything builds it.
func (p *Package) Check(rw *Rewrite) error {
	fset := p.Fset
	nf, err := parser.ParseFile(fset, rw.File, rw.New, parser.ParseComments)
	if err != nil {
		return noMatch(fmt.Sprintf("the rewrite does not parse: %v", err))
	}
	files := []*ast.File{nf}
	for _, f := range p.Files {
		if fset.File(f.Pos()).Name() != rw.File {
			files = append(files, f)
		}
	}
	var first error
	conf := types.Config{
		Importer:  importerFunc(p.importPkg),
		GoVersion: p.Types.GoVersion(),
		Sizes:     types.SizesFor("gc", runtime.GOARCH),
		Error: func(err error) {
			if first == nil {
				first = err
			}
		},
	}
	conf.Check(p.Types.Path(), fset, files, nil)
	if first != nil {
		if te, ok := first.(types.Error); ok {
			pos := te.Fset.Position(te.Pos)
			first = fmt.Errorf("%s:%d: %s", filepath.Base(pos.Filename), pos.Line, te.Msg)
		}
		return noMatch(fmt.Sprintf("the rewrite does not type-check (%v)", first))
	}
	return nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// importPkg returns the package path as the loaded package sees it: from
// its import graph, else (a package the rewrite adds, such as sync)
// loaded once from export data, else from p.Importer.
func (p *Package) importPkg(path string) (*types.Package, error) {
	if p.imports == nil {
		p.imports = map[string]*types.Package{}
		var walk func(*types.Package)
		walk = func(t *types.Package) {
			for _, imp := range t.Imports() {
				if _, ok := p.imports[imp.Path()]; !ok {
					p.imports[imp.Path()] = imp
					walk(imp)
				}
			}
		}
		walk(p.Types)
	}
	if t, ok := p.imports[path]; ok && t.Complete() {
		return t, nil
	}
	if p.Importer != nil {
		return p.Importer.Import(path)
	}
	cfg := &packages.Config{Context: context.Background(), Dir: p.dir, Mode: packages.NeedName | packages.NeedTypes}
	pkgs, err := packages.Load(cfg, path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 || pkgs[0].Types == nil {
		return nil, fmt.Errorf("load %s: not found", path)
	}
	p.imports[path] = pkgs[0].Types
	return pkgs[0].Types, nil
}
