package loopdep_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/rules/internal/loopdep"
)

// TestDetails checks what a rewrite needs beyond the verdict: the
// reduction variables and operators, the kinds of ordered effects, the
// scratch buffers and the position of the dependence.
func TestDetails(t *testing.T) {
	const src = `package p

import (
	"fmt"
	"io"
	"os"
)

func reductions(xs []int) (int, int, int) {
	s, hi, lo := 0, 0, 1<<30
	for _, x := range xs {
		s += x
		if x > hi {
			hi = x
		}
		lo = min(lo, x)
	}
	return s, hi, lo
}

func ordered(xs []int) []int {
	var out []int
	for _, x := range xs {
		fmt.Println(x)
		out = append(out, x)
	}
	return out
}

func scratch(paths []string) int {
	total := 0
	buf := make([]byte, 512)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		n, _ := io.ReadFull(f, buf)
		total += n
		f.Close()
	}
	return total
}

func carried(xs []int) int {
	h := 0
	for _, x := range xs {
		h = h*31 + x
	}
	return h
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	a := loopdep.New(info, pkg, []*ast.File{f})
	results := map[string]loopdep.Result{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if r, ok := n.(*ast.RangeStmt); ok {
				results[fd.Name.Name] = a.Loop(r)
				return false
			}
			return true
		})
	}

	r := results["reductions"]
	var got []string
	for _, red := range r.Reductions {
		got = append(got, red.Var.Name()+" "+red.OpString())
	}
	if r.Verdict != loopdep.Reduction || strings.Join(got, ", ") != "s +, hi max, lo min" {
		t.Errorf("reductions: got %v %q, want reduction [s +, hi max, lo min]", r.Verdict, got)
	}

	r = results["ordered"]
	if r.Verdict != loopdep.Ordered || len(r.Orders) != 2 || !r.Has(loopdep.Output) || !r.Has(loopdep.Append) {
		t.Errorf("ordered: got %v %+v, want ordered output and append", r.Verdict, r.Orders)
	}

	r = results["scratch"]
	if r.Verdict != loopdep.Reduction || len(r.Scratch) != 1 || r.Scratch[0].Name() != "buf" {
		t.Errorf("scratch: got %v scratch %v, want reduction with scratch buf", r.Verdict, r.Scratch)
	}

	r = results["carried"]
	line := strings.Count(src[:strings.Index(src, "h = h*31")], "\n") + 1
	if r.Verdict != loopdep.Dependent || fset.Position(r.Pos).Line != line || r.Reason != "each iteration uses h from the previous one" {
		t.Errorf("carried: got %v at line %d: %q", r.Verdict, fset.Position(r.Pos).Line, r.Reason)
	}
	for v := loopdep.Independent; v <= loopdep.Dependent; v++ {
		if strings.HasPrefix(v.String(), "Verdict(") {
			t.Errorf("verdict %d has no name", v)
		}
	}
}
