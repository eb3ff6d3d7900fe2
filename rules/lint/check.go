package lint

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// A fix is shown or applied only when the package it edits still
// type-checks with it: a rule's fix is a local rewrite, but a rename can
// leave a variable unused or collide with a name, and a user who ran --fix
// must never be left with code that does not build. The check re-runs the
// type checker over the package's files as edited (unedited files reuse the
// syntax already parsed), with the dependencies' types from the load.

// checkFixes drops the fixes of c that do not type-check, recording one
// line per dropped fix in res.DroppedFixes. Packages are checked in
// parallel; each fix alone against its package (fixes of one finding are
// independent of the others', and combinations are checked again by
// Result.Check before --fix writes).
func (c *collector) checkFixes() {
	type job struct {
		i   int // index in c.fixes
		pkg *packages.Package
	}
	var jobs []job
	for i, p := range c.fixes {
		if len(p.fix.Edits) > 0 && p.pkg != nil {
			jobs = append(jobs, job{i, p.pkg})
		}
	}
	if len(jobs) == 0 {
		return
	}
	reasons := make([]string, len(c.fixes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := checkEdited(j.pkg, c.fixes[j.i].fix.Edits); err != nil {
				reasons[j.i] = err.Error()
			}
		}()
	}
	wg.Wait()
	if c.checked == nil {
		c.checked = make(map[string]*packages.Package)
	}
	for _, j := range jobs {
		p := &c.fixes[j.i]
		if reasons[j.i] != "" {
			f := p.finding
			c.res.DroppedFixes = append(c.res.DroppedFixes,
				fmt.Sprintf("%s:%d:%d: %s: fix dropped: %s", f.File, f.Line, f.Column, f.Rule, reasons[j.i]))
			p.fix = Fix{}
			continue
		}
		for _, e := range p.fix.Edits {
			c.checked[e.File] = j.pkg
		}
	}
	slices.Sort(c.res.DroppedFixes)
}

// checkEdited type-checks pkg with edits applied to its files; the error
// says why the edited package is rejected, in one line.
func checkEdited(pkg *packages.Package, edits []Edit) error {
	byFile := make(map[string][]Edit)
	for _, e := range edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	content := make(map[string][]byte)
	for file, es := range byFile {
		src, err := os.ReadFile(file) //advisor:ignore sequentialio a fix edits one or two files
		if err != nil {
			return fmt.Errorf("read %s: %w", file, err)
		}
		if sha256.Sum256(src) != es[0].Hash {
			return fmt.Errorf("%s changed since it was analyzed", file)
		}
		n, err := apply(src, es)
		if err != nil {
			return err
		}
		content[file] = n
	}
	return typeCheck(pkg, content)
}

// typeCheck type-checks pkg with the files of content replaced by their
// new text. When the unedited package does not type-check on its own
// either (a cgo or generated-file quirk of this re-check, not of the fix),
// the fix cannot be verified and is rejected all the same.
func typeCheck(pkg *packages.Package, content map[string][]byte) error {
	if pkg.Types == nil || len(pkg.Syntax) != len(pkg.CompiledGoFiles) {
		return fmt.Errorf("cannot type-check %s to verify the fix", pkg.PkgPath)
	}
	files := slices.Clone(pkg.Syntax)
	edited := 0
	for i, name := range pkg.CompiledGoFiles {
		src, ok := content[name]
		if !ok {
			continue
		}
		f, err := parser.ParseFile(pkg.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("the fixed file does not parse: %s", firstLine(err.Error()))
		}
		files[i] = f
		edited++
	}
	if edited != len(content) {
		return fmt.Errorf("the fix edits a file outside package %s", pkg.PkgPath)
	}
	if err := checkFiles(pkg, files); err != nil {
		if checkFiles(pkg, pkg.Syntax) != nil {
			return fmt.Errorf("cannot type-check %s to verify the fix", pkg.PkgPath)
		}
		return fmt.Errorf("the fixed package does not type-check: %s", err)
	}
	return nil
}

// checkFiles type-checks files as package pkg, importing the types the
// load produced for its dependencies, and returns the first error.
func checkFiles(pkg *packages.Package, files []*ast.File) error {
	var first error
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if ip, ok := pkg.Imports[path]; ok && ip.Types != nil {
				return ip.Types, nil
			}
			return nil, fmt.Errorf("import %q not loaded", path)
		}),
		Sizes: pkg.TypesSizes,
		Error: func(err error) {
			if first == nil {
				first = err
			}
		},
	}
	if pkg.Module != nil && pkg.Module.GoVersion != "" {
		conf.GoVersion = "go" + pkg.Module.GoVersion
	}
	_, _ = conf.Check(pkg.PkgPath, pkg.Fset, files, nil)
	if first != nil {
		var te types.Error
		if errors.As(first, &te) {
			pos := pkg.Fset.Position(te.Pos)
			return fmt.Errorf("%s:%d:%d: %s", filepath.Base(pos.Filename), pos.Line, pos.Column, firstLine(te.Msg))
		}
		return errors.New(firstLine(first.Error()))
	}
	return nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// Check type-checks, package by package, the files of changes (from
// Changes) together: fixes that each type-check can still clash when
// combined. It returns an error naming every package that does not
// type-check with its changes; nothing should be written then. Changes to
// files of no checked fix (made elsewhere) are rejected.
func (res *Result) Check(changes []Change) error {
	byPkg := make(map[*packages.Package]map[string][]byte)
	var order []*packages.Package
	var errs []string
	for _, ch := range changes {
		pkg := res.checked[ch.File]
		if pkg == nil {
			errs = append(errs, fmt.Sprintf("%s: no type-checked fix edits this file", ch.File))
			continue
		}
		if byPkg[pkg] == nil {
			byPkg[pkg] = make(map[string][]byte)
			order = append(order, pkg)
		}
		byPkg[pkg][ch.File] = ch.New
	}
	for _, pkg := range order {
		changed := byPkg[pkg]
		if pkg.Types == nil {
			// Listed only (analyzed package by package, or cached): load
			// it now, one package at a time.
			pkg = typeCheckSource(pkg, readSources(pkg), &fileHashes{m: make(map[string][32]byte)})
		}
		if err := typeCheck(pkg, changed); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", pkg.PkgPath, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("fixes refused, nothing written: %s", strings.Join(errs, "; "))
	}
	return nil
}
