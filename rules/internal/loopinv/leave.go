package loopinv

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
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
		var list []ast.Stmt
		switch pn := p.Node().(type) {
		case *ast.BlockStmt:
			list = pn.List
		case *ast.CaseClause:
			list = pn.Body
		case *ast.CommClause:
			list = pn.Body
		default:
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
