package loopinv

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// LeavesLoop reports whether, once the statement containing cur runs,
// control certainly leaves loop before its next iteration: the statement, or
// one after it in an enclosing block inside the loop, returns, panics, exits,
// breaks out of the loop or jumps with goto. Work on such a path runs at most
// once per execution of the loop, so hoisting or caching it gains nothing.
// loop must enclose cur.
func LeavesLoop(info *types.Info, loop, cur inspector.Cursor) bool {
	// inner reports whether a breakable statement lies between the block
	// being examined and the loop, so that an unlabeled break stops there.
	for c := cur; c.Valid() && c != loop; c = c.Parent() {
		p := c.Parent()
		list, ok := astutil.StmtList(p.Node())
		if !ok {
			continue
		}
		inner := false
		for a := p.Parent(); a.Valid() && a != loop; a = a.Parent() {
			switch a.Node().(type) {
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt:
				inner = true
			}
		}
		start := -1
		for i, s := range list {
			if s == c.Node() {
				start = i
				break
			}
		}
		if start < 0 {
			continue
		}
		for _, s := range list[start:] {
			if leaves(info, s, loop, inner) {
				return true
			}
		}
	}
	return false
}

// leaves reports whether statement s certainly transfers control out of
// loop. inner reports whether an unlabeled break in s would stop at a
// statement inside the loop.
func leaves(info *types.Info, s ast.Stmt, loop inspector.Cursor, inner bool) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		switch s.Tok {
		case token.GOTO:
			return true
		case token.BREAK:
			if s.Label == nil {
				return !inner
			}
			// A labeled break leaves the loop when the label is the loop's
			// own or an outer statement's.
			lbl, _ := info.Uses[s.Label].(*types.Label)
			return lbl != nil && !(loop.Node().Pos() < lbl.Pos() && lbl.Pos() < loop.Node().End())
		}
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		switch fn := typeutil.Callee(info, call).(type) {
		case *types.Builtin:
			return fn.Name() == "panic"
		case *types.Func:
			switch fn.FullName() {
			case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln",
				"(*testing.common).Fatal", "(*testing.common).Fatalf", "(*testing.common).FailNow",
				"(*testing.common).Skip", "(*testing.common).Skipf", "(*testing.common).SkipNow",
				"(*log.Logger).Fatal", "(*log.Logger).Fatalf", "(*log.Logger).Panic", "(*log.Logger).Panicf":
				return true
			}
		}
	case *ast.BlockStmt:
		for _, x := range s.List {
			if leaves(info, x, loop, inner) {
				return true
			}
		}
	case *ast.IfStmt:
		if s.Else == nil {
			return false
		}
		return leaves(info, s.Body, loop, inner) && leaves(info, s.Else, loop, inner)
	case *ast.LabeledStmt:
		return leaves(info, s.Stmt, loop, inner)
	}
	return false
}

// OncePerLoop reports whether the node at cur runs at most once per
// execution of loop: LeavesLoop holds, or loop ranges over a map and cur is
// guarded by a comparison of the range key with a constant (`if k == "x"`,
// `switch k { case "x": }`), which matches at most one key.
func OncePerLoop(info *types.Info, loop, cur inspector.Cursor) bool {
	if LeavesLoop(info, loop, cur) {
		return true
	}
	rs, ok := loop.Node().(*ast.RangeStmt)
	if !ok || rs.Key == nil {
		return false
	}
	if _, isMap := info.TypeOf(rs.X).Underlying().(*types.Map); !isMap {
		return false
	}
	id, ok := rs.Key.(*ast.Ident)
	if !ok || rs.Tok != token.DEFINE {
		return false
	}
	key := info.Defs[id]
	if key == nil || assignedIn(info, rs.Body, key) {
		return false
	}
	isKey := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[x] == key
	}
	isConst := func(e ast.Expr) bool { return info.Types[e].Value != nil }
	for c := cur; c.Valid() && c != loop; c = c.Parent() {
		switch p := c.Parent().Node().(type) {
		case *ast.IfStmt:
			if c.ParentEdgeKind() != edge.IfStmt_Body {
				continue
			}
			if b, ok := ast.Unparen(p.Cond).(*ast.BinaryExpr); ok && b.Op == token.EQL &&
				(isKey(b.X) && isConst(b.Y) || isConst(b.X) && isKey(b.Y)) {
				return true
			}
		case *ast.CaseClause:
			sw, ok := c.Parent().Parent().Parent().Node().(*ast.SwitchStmt)
			if !ok || c.ParentEdgeKind() != edge.CaseClause_Body || sw.Tag == nil || !isKey(sw.Tag) || len(p.List) == 0 {
				continue
			}
			all := true
			for _, e := range p.List {
				all = all && isConst(e)
			}
			if all {
				return true
			}
		}
	}
	return false
}

// assignedIn reports whether n assigns obj.
func assignedIn(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		for _, lhs := range writtenExprs(x) {
			if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && info.Uses[id] == obj {
				found = true
			}
		}
		return !found
	})
	return found
}
