package rewrite

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTemplates applies the templates at every line of arbitrary
// type-correct files: they must not panic, and what they return must parse.
func FuzzTemplates(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.go")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("package p\n\nfunc f(xs []int) []int {\n\tout := make([]int, len(xs))\n\tfor i := range xs {\n\t\tout[i] = xs[i] * 2\n\t}\n\treturn out\n}\n")
	imp := importer.Default()
	f.Fuzz(func(t *testing.T, src string) {
		file := filepath.Join(t.TempDir(), "a.go")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		af, err := parser.ParseFile(fset, file, src, parser.ParseComments)
		if err != nil {
			return
		}
		info := &types.Info{
			Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
			Uses: map[*ast.Ident]types.Object{}, Scopes: map[ast.Node]*types.Scope{},
			FileVersions: map[*ast.File]string{},
		}
		conf := types.Config{Importer: imp, Error: func(error) {}}
		pkg, err := conf.Check("p", fset, []*ast.File{af}, info)
		if err != nil {
			return
		}
		p := &Package{Fset: fset, Files: []*ast.File{af}, Info: info, Types: pkg, HasErrgroup: true, Importer: imp}
		for line := 1; line <= fset.File(af.Pos()).LineCount(); line++ {
			for _, tmpl := range []func(*Package, string, int) (*Rewrite, error){Goroutines, Workers, Builder} {
				rw, err := tmpl(p, file, line)
				if err != nil {
					continue
				}
				if _, err := parser.ParseFile(token.NewFileSet(), file, rw.New, 0); err != nil {
					t.Fatalf("line %d: rewrite does not parse: %v\n%s", line, err, rw.New)
				}
			}
		}
	})
}
