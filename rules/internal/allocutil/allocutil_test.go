package allocutil

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

const src = `package p

var g int

func f(xs []int, n int, p *int) {
	k := 3
	for i, x := range xs {
		a := x
		_ = a + n + k + len(xs) + g
		_ = *p + i
		n2 := n
		_ = n2
	}
outer:
	for i := 0; i < n; i++ {
		for range xs {
			break
		}
		switch {
		case i > 2:
			break
		}
		if i > 5 {
			continue outer
		}
	}
	for range xs {
		k++
	}
}
`

// load type-checks src and returns its file, type info and inspector.
func load(t *testing.T) (*ast.File, *types.Info, *inspector.Inspector) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	return f, info, inspector.New([]*ast.File{f})
}

func TestLoopFacts(t *testing.T) {
	_, info, in := load(t)
	var loops []inspector.Cursor
	for c := range in.Root().Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		loops = append(loops, c)
	}
	if len(loops) != 4 {
		t.Fatalf("found %d loops, want 4", len(loops))
	}
	first, counted, last := loops[0].Node(), loops[1], loops[3].Node()

	// Expressions of the first loop's body, by source text.
	exprs := map[string]ast.Expr{}
	ast.Inspect(astutil.LoopBody(first), func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			exprs[types.ExprString(e)] = e
		}
		return true
	})
	k := exprs["k"].(*ast.Ident)
	if !Mutated(info, info.Uses[k], last) {
		t.Error("Mutated(k, last loop) = false, want true")
	}
	if Mutated(info, info.Uses[k], first) {
		t.Error("Mutated(k, first loop) = true, want false")
	}

	// The counted loop's breaks leave the inner loop and the switch only.
	body := astutil.LoopBody(counted.Node())
	if HasLoopExit(body, LoopLabel(counted)) {
		t.Error("HasLoopExit(counted loop) = true, want false")
	}
	if !HasContinue(body, LoopLabel(counted)) {
		t.Error("HasContinue(counted loop) = false, want true: continue outer")
	}
	if HasContinue(body, nil) {
		t.Error("HasContinue without the label = true, want false")
	}
}
