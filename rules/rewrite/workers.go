package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// Workers rewrites the CPU loop at line (the outermost loop around it that
// qualifies; or, when line is in a function that no such loop contains, the
// loop that calls that function) so that runtime.GOMAXPROCS(0) workers take
// its iterations from a channel of indices:
//
//	for y := 0; y < h; y++ {             indices := make(chan int)
//		row := make([]int, w)            var wg sync.WaitGroup
//		for x := 0; x < w; x++ {         for range runtime.GOMAXPROCS(0) {
//			row[x] = f(x, y)                 wg.Add(1)
//		}                          →         go func() { defer wg.Done(); for y := range indices { ...body... } }()
//		img[y] = row                     }
//	}                                    for y := range h { indices <- y }
//	                                     close(indices); wg.Wait()
//
// The loop may be for i := 0; i < n; i++, or range over an integer, a
// slice, an array or a map (whose keys are collected first); its body any
// statements. It applies only when loopdep finds the iterations
// independent; reductions (s += f(x), max, min, ...) get a partial result
// per worker, combined after the workers finish; ordered effects (printing,
// out = append(out, ...), error exits) run after the concurrent part, in
// the original order, reading what it kept by index. A dependent loop is
// declined with loopdep's reason.
func Workers(p *Package, file string, line int) (*Rewrite, error) {
	return p.apply(file, line, workerPool, true)
}

// apply tries the loops around line, outermost first when outer (else
// innermost first), then the loops of the file that call the function
// containing line, and returns the first rewrite that type-checks.
func (p *Package) apply(file string, line int, fm form, outer bool) (*Rewrite, error) {
	f, src, err := p.fileAt(file)
	if err != nil {
		return nil, err
	}
	loops, fd := p.loopsAt(f, line)
	tf := p.Fset.File(f.Pos())
	var d declined
	try := func(fd *ast.FuncDecl, l ast.Stmt) *Rewrite {
		rw, err := p.parallel(f, fd, l, src, tf, fm)
		if err == nil {
			err = p.Check(rw)
		}
		if err == nil {
			return rw
		}
		d.add(p, l, err)
		return nil
	}
	for i := range loops {
		l := loops[len(loops)-1-i]
		if outer {
			l = loops[i]
		}
		if rw := try(fd, l); rw != nil {
			return rw, nil
		}
	}
	// The line may be in the hot function itself: parallelize a loop of
	// this file that calls it.
	if fd != nil {
		if fn, ok := p.Info.Defs[fd.Name].(*types.Func); ok {
			for _, cl := range p.callingLoops(f, fn) {
				if rw := try(cl.fd, cl.loop); rw != nil {
					return rw, nil
				}
			}
		}
	}
	return nil, d.err(fmt.Sprintf("no loop at or calling line %d", line))
}

type callingLoop struct {
	fd   *ast.FuncDecl
	loop ast.Stmt
}

// callingLoops returns the loops of f whose body calls fn, outermost first.
func (p *Package) callingLoops(f *ast.File, fn *types.Func) []callingLoop {
	var out []callingLoop
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			if l, ok := n.(ast.Stmt); ok && astutil.LoopBody(l) != nil && p.calls(astutil.LoopBody(l), fn) {
				out = append(out, callingLoop{fd, l})
			}
			return true
		})
	}
	return out
}

func (p *Package) calls(n ast.Node, fn *types.Func) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && calleeObj(p.Info, c) == fn {
			found = true
		}
		return !found
	})
	return found
}
