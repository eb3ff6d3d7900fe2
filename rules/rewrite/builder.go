package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// Builder rewrites the string concatenation at line — `s += x` or
// `s = s + x + y` inside a loop — to append to a strings.Builder declared
// before the innermost loop around it, assigning the result to s after the
// loop:
//
//	for _, w := range words {          var sb strings.Builder
//		s += w + " "             →     sb.WriteString(s)
//	}                                  for _, w := range words {
//	                                       sb.WriteString(w + " ")
//	                                   }
//	                                   s = sb.String()
//
// It applies only when s is a local string variable that the loop uses
// nowhere else (so no iteration sees the partial string), that no closure
// refers to and whose address is never taken, and when the loop has no
// labels or goto.
func Builder(p *Package, file string, line int) (*Rewrite, error) {
	f, src, err := p.fileAt(file)
	if err != nil {
		return nil, err
	}
	loops, fd := p.loopsAt(f, line)
	if len(loops) == 0 {
		return nil, noMatch(fmt.Sprintf("no loop at line %d", line))
	}
	loop := loops[len(loops)-1]
	tf := p.Fset.File(f.Pos())
	text := func(n ast.Node) string { return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())]) }

	// The concatenation on the line.
	var as *ast.AssignStmt
	ast.Inspect(astutil.LoopBody(loop), func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok && as == nil && p.line(a.Pos()) == line && len(a.Lhs) == 1 && len(a.Rhs) == 1 {
			as = a
		}
		return as == nil
	})
	if as == nil {
		return nil, noMatch(fmt.Sprintf("no assignment at line %d", line))
	}
	id := identOf(as.Lhs[0])
	if id == nil {
		return nil, noMatch("the concatenation does not assign a variable")
	}
	s, _ := p.Info.Uses[id].(*types.Var)
	if s == nil || !declaredIn(s, fd) || declaredIn(s, loop) {
		return nil, noMatch("the string is not a local variable declared before the loop")
	}
	basic, ok := s.Type().Underlying().(*types.Basic)
	if !ok || basic.Kind() != types.String {
		return nil, noMatch(s.Name() + " is not a string")
	}
	var parts []ast.Expr // what each iteration appends
	switch as.Tok {
	case token.ADD_ASSIGN:
		parts = []ast.Expr{as.Rhs[0]}
	case token.ASSIGN:
		parts = concatAfter(p.Info, as.Rhs[0], s)
		if parts == nil {
			return nil, noMatch("the assignment does not append to " + s.Name())
		}
	default:
		return nil, noMatch("not a concatenation")
	}
	// s is used by this statement only, within the loop.
	uses := 0
	ast.Inspect(loop, func(n ast.Node) bool {
		if x, ok := n.(*ast.Ident); ok && p.Info.Uses[x] == s {
			uses++
		}
		return true
	})
	for _, part := range parts {
		if p.refersTo(part, s) {
			return nil, noMatch("the appended text reads " + s.Name())
		}
	}
	want := 1 // s in s += x
	if as.Tok == token.ASSIGN {
		want = 2 // and in s = s + x
	}
	if uses != want {
		return nil, noMatch("the loop reads " + s.Name() + " while it is built")
	}
	var why error
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if p.refersTo(n, s) {
				why = noMatch("a closure refers to " + s.Name())
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && astutil.RootVar(p.Info, n.X) == s {
				why = noMatch("the address of " + s.Name() + " is taken")
			}
		case *ast.LabeledStmt:
			if n.Stmt == loop || within(n, []ast.Node{loop}) {
				why = noMatch("the loop has labels")
			}
		case *ast.BranchStmt:
			if n.Tok == token.GOTO && within(n, []ast.Node{loop}) {
				why = noMatch("the loop has goto")
			}
		}
		return why == nil
	})
	if why != nil {
		return nil, why
	}

	scope := p.Info.Scopes[fd.Type]
	if scope == nil {
		return nil, noMatch("no scope for the function")
	}
	sb := fresh(scope.Innermost(loop.Pos()), loop.Pos(), identNames(fd), s.Name()+"Builder")
	named := !types.Identical(s.Type(), types.Typ[types.String])
	var writes []string
	for _, part := range parts {
		t := text(part)
		_, literal := ast.Unparen(part).(*ast.BasicLit)
		if tv := p.Info.Types[part]; !literal && !types.Identical(tv.Type, types.Typ[types.String]) {
			t = "string(" + t + ")"
		}
		writes = append(writes, fmt.Sprintf("%s.WriteString(%s)", sb, t))
	}
	result := sb + ".String()"
	if named {
		ts, err := p.typeString(s.Type(), f)
		if err != nil {
			return nil, err
		}
		result = ts + "(" + result + ")"
	}
	init := s.Name()
	if named {
		init = "string(" + init + ")"
	}
	var b strings.Builder
	b.Write(src[:tf.Offset(loop.Pos())])
	fmt.Fprintf(&b, "var %s strings.Builder\n%s.WriteString(%s)\n", sb, sb, init)
	b.Write(src[tf.Offset(loop.Pos()):tf.Offset(as.Pos())])
	b.WriteString(strings.Join(writes, "\n"))
	b.Write(src[tf.Offset(as.End()):tf.Offset(loop.End())])
	fmt.Fprintf(&b, "\n%s = %s", s.Name(), result)
	b.Write(src[tf.Offset(loop.End()):])
	bs := []byte(b.String())
	out, err := splice(p.Fset, tf.Name(), bs, len(bs), len(bs), "", "strings")
	if err != nil {
		return nil, err
	}
	return &Rewrite{
		Kind: "builder", File: tf.Name(), Old: src, New: out,
		Message: fmt.Sprintf("build %s in a strings.Builder instead of copying it in every iteration", s.Name()),
	}, nil
}

// concatAfter returns x, y, ... when e is s + x + y + ... (left-associated),
// else nil.
func concatAfter(info *types.Info, e ast.Expr, s *types.Var) []ast.Expr {
	var rest []ast.Expr
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.BinaryExpr:
			if x.Op != token.ADD {
				return nil
			}
			rest = append([]ast.Expr{x.Y}, rest...)
			e = x.X
		case *ast.Ident:
			if info.Uses[x] != s || len(rest) == 0 {
				return nil
			}
			return rest
		default:
			return nil
		}
	}
}

// refersTo reports whether n uses v.
func (p *Package) refersTo(n ast.Node, v *types.Var) bool {
	return uses(p.Info, n, v)
}
