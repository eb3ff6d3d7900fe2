package astutil

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ast/inspector"
)

const src = `package p

import "strings"

type T struct{ f int }

var global int

func (t *T) M(n int, s string) {}

func f(n int, s string, u uint8) int {
	_ = strings.ToLower(s)
	for i := range n {
		_ = i
	}
	switch {
	case n > 0:
		return f(n-1, s, u) + f((n-8), s, u+9)
	}
	var t T
	t.M(n, s)
	(t.M)(n, s)
	(*T).M(&t, n, s)
	g := func() int { return 3 }
	return g()
}
`

func check(t *testing.T) (*ast.File, *types.Info, *types.Package) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: make(map[ast.Expr]types.TypeAndValue),
		Uses:  make(map[*ast.Ident]types.Object),
		Defs:  make(map[*ast.Ident]types.Object),

		Selections: make(map[*ast.SelectorExpr]*types.Selection),
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return f, info, pkg
}

func TestFuncName(t *testing.T) {
	_, info, pkg := check(t)
	m, _, _ := types.LookupFieldOrMethod(pkg.Scope().Lookup("T").Type(), true, pkg, "M")
	if got := FuncName(m.(*types.Func)); got != "p.T.M" {
		t.Errorf("FuncName(method) = %q, want p.T.M", got)
	}
	for id, obj := range info.Uses {
		if id.Name == "ToLower" {
			if got := FuncName(obj.(*types.Func)); got != "strings.ToLower" {
				t.Errorf("FuncName(ToLower) = %q, want strings.ToLower", got)
			}
		}
	}
}

func TestParamsAndConstants(t *testing.T) {
	file, info, pkg := check(t)
	fn := pkg.Scope().Lookup("f").(*types.Func)
	params := Params(fn)
	if len(params) != 3 {
		t.Fatalf("Params(f) has %d entries, want 3", len(params))
	}
	m, _, _ := types.LookupFieldOrMethod(pkg.Scope().Lookup("T").Type(), true, pkg, "M")
	if got := len(Params(m.(*types.Func))); got != 3 {
		t.Errorf("Params(T.M) has %d entries, want 3 (receiver included)", got)
	}
	var subs []*ast.BinaryExpr
	ast.Inspect(file, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok && (b.Op == token.SUB || b.Op == token.ADD) {
			subs = append(subs, b)
		}
		return true
	})
	// n-1, n-8 (parenthesized), u+9, and the + between the two calls.
	type want struct {
		param, integer bool
		small4, small8 bool
	}
	wants := map[string]want{
		"n-1": {true, true, true, true},
		"n-8": {true, true, false, true},
		"u+9": {true, true, false, false},
	}
	seen := 0
	for _, b := range subs {
		p := Param(info, params, b.X)
		if p == nil {
			continue
		}
		key := p.Name() + b.Op.String() + b.Y.(*ast.BasicLit).Value
		w, ok := wants[key]
		if !ok {
			t.Errorf("unexpected parameter expression %s", key)
			continue
		}
		seen++
		if got := IsInteger(p.Type()); got != w.integer {
			t.Errorf("IsInteger(%s) = %v", p.Name(), got)
		}
		if got := SmallConst(info, b.Y, 4); got != w.small4 {
			t.Errorf("%s: SmallConst(max 4) = %v, want %v", key, got, w.small4)
		}
		if got := SmallConst(info, b.Y, 8); got != w.small8 {
			t.Errorf("%s: SmallConst(max 8) = %v, want %v", key, got, w.small8)
		}
	}
	if seen != len(wants) {
		t.Errorf("saw %d parameter expressions, want %d", seen, len(wants))
	}
	if s := params[fn.Signature().Params().At(1)]; !s || IsInteger(fn.Signature().Params().At(1).Type()) {
		t.Errorf("string parameter: in set %v, IsInteger true", s)
	}
}

func TestStmtListAndEnclosingFunc(t *testing.T) {
	file, _, _ := check(t)
	in := inspector.New([]*ast.File{file})
	var clauses, blocks, litReturns int
	for cur := range in.Root().Preorder((*ast.CaseClause)(nil), (*ast.BlockStmt)(nil), (*ast.ReturnStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CaseClause:
			if list, ok := StmtList(n); !ok || len(list) != 1 {
				t.Errorf("StmtList(case) = %d statements, %v", len(list), ok)
			}
			clauses++
		case *ast.BlockStmt:
			if list, ok := StmtList(n); !ok || len(list) != len(n.List) {
				t.Errorf("StmtList(block) = %d statements, %v", len(list), ok)
			}
			blocks++
		case *ast.ReturnStmt:
			fn := EnclosingFunc(cur)
			if !fn.Valid() {
				t.Fatalf("return at %v has no enclosing function", n.Pos())
			}
			if _, ok := fn.Node().(*ast.FuncLit); ok {
				litReturns++
			}
		}
	}
	if clauses != 1 || blocks == 0 {
		t.Errorf("saw %d case clauses and %d blocks", clauses, blocks)
	}
	if litReturns != 1 {
		t.Errorf("%d returns are inside a function literal, want 1", litReturns)
	}
	if _, ok := StmtList(file); ok {
		t.Error("StmtList(file) ok, want false")
	}
	loops := 0
	for cur := range in.Root().Preorder((*ast.RangeStmt)(nil), (*ast.FuncDecl)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.RangeStmt:
			if LoopBody(n) != n.Body {
				t.Error("LoopBody(range) is not its body")
			}
			loops++
		default:
			if LoopBody(n) != nil {
				t.Errorf("LoopBody(%T) is not nil", n)
			}
		}
	}
	if loops != 1 {
		t.Errorf("saw %d range loops, want 1", loops)
	}
	for cur := range in.Root().Preorder((*ast.GenDecl)(nil)) {
		if _, top := cur.Parent().Node().(*ast.File); top && EnclosingFunc(cur).Valid() {
			t.Error("EnclosingFunc at package level is valid")
		}
	}
}

func TestOperands(t *testing.T) {
	file, info, _ := check(t)
	var got []int
	ast.Inspect(file, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && id.Sel.Name == "M" {
				ops := Operands(info, call)
				got = append(got, len(ops))
				if len(ops) > 0 && ops[len(ops)-1] != call.Args[len(call.Args)-1] {
					t.Errorf("Operands does not end with the call's arguments")
				}
			}
		}
		return true
	})
	// t.M(n, s) and (t.M)(n, s) add the receiver; (*T).M(&t, n, s) passes
	// it as an argument already.
	if len(got) != 3 || got[0] != 3 || got[1] != 3 || got[2] != 3 {
		t.Errorf("operand counts of the three method calls = %v, want [3 3 3]", got)
	}
}

func TestPackageLevel(t *testing.T) {
	_, info, _ := check(t)
	got := map[string]bool{}
	for id, obj := range info.Defs {
		if v, ok := obj.(*types.Var); ok {
			got[id.Name] = PackageLevel(v)
		}
	}
	for name, want := range map[string]bool{"global": true, "f": false, "n": false, "t": false, "i": false} {
		if g, ok := got[name]; !ok || g != want {
			t.Errorf("PackageLevel(%s) = %v (found %v), want %v", name, g, ok, want)
		}
	}
}
