package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// Workers rewrites the CPU loop at line (the outermost loop around it that
// qualifies; or, when line is in a function that no such loop contains, the
// loop that calls that function) so that runtime.GOMAXPROCS(0) workers take
// its iterations from a channel of indices:
//
//	for y := 0; y < h; y++ {             idx := make(chan int)
//		row := make([]int, w)            var wg sync.WaitGroup
//		for x := 0; x < w; x++ {         for range runtime.GOMAXPROCS(0) {
//			row[x] = f(x, y)                 wg.Add(1)
//		}                          →         go func() { defer wg.Done(); for y := range idx { ...body... } }()
//		img[y] = row                     }
//	}                                    for y := 0; y < h; y++ { idx <- y }
//	                                     close(idx); wg.Wait()
//
// It applies only when the iterations are independent: the body writes
// nothing but its own variables, memory it allocated, and out[i] for the
// loop index i (a slice declared outside that it reads at no other index);
// it calls only pure functions (see Pure); and it neither returns nor
// breaks out of the loop.
func Workers(p *Package, file string, line int) (*Rewrite, error) {
	f, src, err := p.fileAt(file)
	if err != nil {
		return nil, err
	}
	if !p.goVersionOK(f) {
		return nil, noMatch("the file is compiled for Go before 1.22 (shared loop variables)")
	}
	loops, fd := p.loopsAt(f, line)
	tf := p.Fset.File(f.Pos())
	var d declined
	for _, l := range loops {
		rw, err := p.workers(f, fd, l, src, tf)
		if err == nil {
			return rw, nil
		}
		d.add(p, l, err)
	}
	// The line may be in the hot function itself: parallelize a loop of
	// this file that calls it.
	if fd != nil {
		if fn, ok := p.Info.Defs[fd.Name].(*types.Func); ok {
			for _, cl := range p.callingLoops(f, fn) {
				rw, err := p.workers(f, cl.fd, cl.loop, src, tf)
				if err == nil {
					return rw, nil
				}
				d.add(p, cl.loop, err)
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

func (p *Package) workers(f *ast.File, fd *ast.FuncDecl, loop ast.Stmt, src []byte, tf *token.File) (*Rewrite, error) {
	li, err := p.indexOf(loop, src, tf, nil)
	if err != nil {
		return nil, err
	}
	body := astutil.LoopBody(loop)
	if err := p.independent(body, li.key); err != nil {
		return nil, err
	}
	if !p.bodyPure(body, body, false, false, map[*types.Func]bool{}) {
		return nil, noMatch("the loop body calls functions that are not pure")
	}

	scope := p.Info.Scopes[fd.Type]
	if scope == nil {
		return nil, noMatch("no scope for the function")
	}
	inner := scope.Innermost(loop.Pos())
	avoid := identNames(fd)
	idx := fresh(inner, loop.Pos(), avoid, "indices")
	wg := fresh(inner, loop.Pos(), avoid, "wg")
	key := li.name
	var b strings.Builder
	fmt.Fprintf(&b, "%s := make(chan int)\nvar %s sync.WaitGroup\n", idx, wg)
	fmt.Fprintf(&b, "for range runtime.GOMAXPROCS(0) {\n%s.Add(1)\ngo func() {\ndefer %s.Done()\nfor %s := range %s {\n", wg, wg, key, idx)
	if li.value != nil && uses(p.Info, body, p.Info.Defs[li.value]) {
		fmt.Fprintf(&b, "%s := %s[%s]\n", li.value.Name, li.over, key)
	}
	b.WriteString(strings.TrimLeft(string(src[tf.Offset(body.Lbrace)+1:tf.Offset(body.Rbrace)]), "\n"))
	b.WriteString("}\n}()\n}\n")
	header := li.header
	if li.over != "" {
		header = fmt.Sprintf("for %s := range %s ", key, li.over)
	}
	fmt.Fprintf(&b, "%s{\n%s <- %s\n}\nclose(%s)\n%s.Wait()", header, idx, key, idx, wg)
	out, err := splice(p.Fset, tf.Name(), src, tf.Offset(loop.Pos()), tf.Offset(loop.End()), b.String(), "runtime", "sync")
	if err != nil {
		return nil, err
	}
	return &Rewrite{
		Kind: "workers", File: tf.Name(), Old: src, New: out, Concurrent: true,
		Message: fmt.Sprintf("spread the iterations of the loop at line %d over runtime.GOMAXPROCS(0) workers", p.line(loop.Pos())),
	}, nil
}

// independent checks the control flow of a loop body that becomes a
// worker's: no return, no break out of the loop, no goto or labels, no
// goroutines, defers, channels or closures.
func (p *Package) independent(body *ast.BlockStmt, key *types.Var) error {
	var breakable []ast.Node // nested statements a plain break leaves
	var why error
	ast.Inspect(body, func(n ast.Node) bool {
		if why != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt:
			breakable = append(breakable, n)
		case *ast.ReturnStmt:
			why = noMatch("the loop body returns")
		case *ast.BranchStmt:
			switch {
			case n.Label != nil || n.Tok == token.GOTO:
				why = noMatch("the loop body jumps to a label")
			case n.Tok == token.BREAK && !within(n, breakable):
				why = noMatch("the loop body breaks out of the loop")
			}
		case *ast.LabeledStmt, *ast.GoStmt, *ast.DeferStmt, *ast.SelectStmt, *ast.SendStmt, *ast.FuncLit:
			why = noMatch("the loop body has goroutines, defers, channels, labels or closures")
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				why = noMatch("the loop body receives from a channel")
			}
		}
		return true
	})
	if why != nil {
		return why
	}
	return p.outputsOnly(body, key)
}

// outputsOnly checks the writes of a loop body: its own variables, memory
// it allocated, and out[key] for slices out declared outside the body,
// which it must not read at any other index.
func (p *Package) outputsOnly(body *ast.BlockStmt, key *types.Var) error {
	owned := ownedVars(p.Info, body)
	outputs := map[*types.Var]bool{}
	var why error
	write := func(e ast.Expr) {
		v := astutil.RootVar(p.Info, e)
		switch {
		case v == nil:
			why = noMatch("the loop body writes through an expression")
		case declaredIn(v, body):
			if _, plain := ast.Unparen(e).(*ast.Ident); !plain && !owned[v] {
				why = noMatch("the loop body writes through " + v.Name() + ", which it did not allocate")
			}
		default:
			ix, ok := ast.Unparen(e).(*ast.IndexExpr)
			isSlice := false
			if ok && identOf(ix.X) != nil {
				_, isSlice = p.Info.TypeOf(ix.X).Underlying().(*types.Slice)
			}
			if !isSlice || p.Info.Uses[identOf(ix.Index)] != key {
				why = noMatch("the loop body writes " + v.Name() + ", which outlives the iteration")
				return
			}
			outputs[v] = true
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if why != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					write(l)
				}
			}
		case *ast.IncDecStmt:
			write(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				write(n.X)
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				write(n.Key)
				if n.Value != nil {
					write(n.Value)
				}
			}
		}
		return true
	})
	if why != nil {
		return why
	}
	// An output may be used only as out[key].
	ast.Inspect(body, func(n ast.Node) bool {
		if why != nil {
			return false
		}
		if ix, ok := n.(*ast.IndexExpr); ok {
			if id := identOf(ix.X); id != nil && outputs[varOf(p.Info, id)] {
				if p.Info.Uses[identOf(ix.Index)] != key {
					why = noMatch(id.Name + " is read at another iteration's index")
				}
				return false
			}
		}
		if id, ok := n.(*ast.Ident); ok && outputs[varOf(p.Info, id)] {
			why = noMatch(id.Name + " is used as a whole inside the loop")
		}
		return true
	})
	return why
}

func varOf(info *types.Info, id *ast.Ident) *types.Var {
	v, _ := info.ObjectOf(id).(*types.Var)
	return v
}
