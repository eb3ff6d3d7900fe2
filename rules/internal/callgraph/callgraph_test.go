package callgraph

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

const src = `package p

func self(n int) int { if n == 0 { return 0 }; return self(n - 1) }
func even(n int) bool { if n == 0 { return true }; return odd(n - 1) }
func odd(n int) bool { if n == 0 { return false }; return even(n - 1) }
func leaf() int { return 1 }
func caller() int { return leaf() + self(3) }
func closure(n int) func() int { return func() int { return closure(n)() } }

func branches(n int) int {
	if n > 0 {
		return self(n)
	} else {
		return self(n + 1)
	}
}

func early(n int) int {
	if n > 0 {
		return self(n)
	}
	return self(n + 1)
}

func both(n int) int {
	a := self(n)
	if n > 2 {
		a += self(n - 1)
	}
	return a
}

func sw(n int) int {
	switch n {
	case 1:
		return self(n)
	default:
		return self(n + 1)
	}
}
`

func TestGraph(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}, Instances: map[*ast.Ident]types.Instance{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	g := Build([]*ast.File{f}, info, pkg)
	fn := func(name string) *types.Func { return pkg.Scope().Lookup(name).(*types.Func) }
	for _, tc := range []struct {
		caller, callee string
		want           bool
	}{
		{"self", "self", true},
		{"even", "odd", true},
		{"odd", "even", true},
		{"caller", "leaf", false},
		{"caller", "self", false},
		{"leaf", "leaf", false},
		{"closure", "closure", false}, // the call is inside a function literal
	} {
		if got := g.Recursive(fn(tc.caller), fn(tc.callee)); got != tc.want {
			t.Errorf("Recursive(%s, %s) = %v, want %v", tc.caller, tc.callee, got, tc.want)
		}
	}
	if !g.Mutual(fn("even")) || g.Mutual(fn("self")) {
		t.Errorf("Mutual(even) = %v, Mutual(self) = %v; want true, false", g.Mutual(fn("even")), g.Mutual(fn("self")))
	}

	for name, want := range map[string]bool{"branches": true, "early": true, "both": false, "sw": true} {
		calls := g.Calls[fn(name)]
		if len(calls) != 2 {
			t.Fatalf("%s: %d calls, want 2", name, len(calls))
		}
		if got := Exclusive(f, calls[0].Expr, calls[1].Expr); got != want {
			t.Errorf("Exclusive in %s = %v, want %v", name, got, want)
		}
	}
}
