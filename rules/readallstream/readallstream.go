package readallstream

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/advisor-dev/advisor/rules/internal/allocutil"
	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
)

//go:embed doc.go
var doc string

// Analyzer reports whole-input reads that are only split into lines.
var Analyzer = &analysis.Analyzer{
	Name:     "readallstream",
	Doc:      ruledoc.Extract(doc, "readallstream"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/readallstream",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		name := reader(info, call)
		if name == "" {
			continue
		}
		data := result(info, cur)
		if data == nil {
			continue
		}
		fn := astutil.EnclosingFunc(cur)
		if !fn.Valid() {
			continue
		}
		use, ok := onlyUse(info, data, fn)
		if !ok || !linesIteratedOnce(info, use, fn) {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: "stream",
			Message: fmt.Sprintf("the whole input read by %s is only split into lines and iterated; read it line by line with a bufio.Scanner",
				name),
		})
	}
	return nil, nil
}

// reader returns the name of the whole-input reading function call calls.
func reader(info *types.Info, call *ast.CallExpr) string {
	switch {
	case allocutil.IsFunc(info, call, "io", "ReadAll"):
		return "io.ReadAll"
	case allocutil.IsFunc(info, call, "os", "ReadFile"):
		return "os.ReadFile"
	case allocutil.IsFunc(info, call, "io/ioutil", "ReadAll"):
		return "ioutil.ReadAll"
	case allocutil.IsFunc(info, call, "io/ioutil", "ReadFile"):
		return "ioutil.ReadFile"
	}
	return ""
}

// result returns the variable declared to hold the data in
// `data, err := call` or `var data, err = call`.
func result(info *types.Info, call inspector.Cursor) *types.Var {
	var id ast.Expr
	switch p := call.Parent().Node().(type) {
	case *ast.AssignStmt:
		if p.Tok == token.DEFINE && len(p.Lhs) == 2 && len(p.Rhs) == 1 {
			id = p.Lhs[0]
		}
	case *ast.ValueSpec:
		if len(p.Names) == 2 && len(p.Values) == 1 {
			id = p.Names[0]
		}
	}
	ident, ok := id.(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := info.Defs[ident].(*types.Var) // nil when := reuses an existing variable
	return v
}

// onlyUse returns the single use of v inside fn, if there is exactly one.
func onlyUse(info *types.Info, v *types.Var, fn inspector.Cursor) (inspector.Cursor, bool) {
	var use inspector.Cursor
	n := 0
	for c := range fn.Preorder((*ast.Ident)(nil)) {
		if info.Uses[c.Node().(*ast.Ident)] == v {
			use = c
			n++
		}
	}
	return use, n == 1
}

// linesIteratedOnce reports whether the expression at c flows, through
// conversions and trimming, into a split on newlines whose result is ranged
// over once.
func linesIteratedOnce(info *types.Info, c inspector.Cursor, fn inspector.Cursor) bool {
	for {
		p := c.Parent()
		switch pn := p.Node().(type) {
		case *ast.ParenExpr:
			c = p
			continue
		case *ast.CallExpr:
			if c.ParentEdgeKind() != edge.CallExpr_Args || c.ParentEdgeIndex() != 0 {
				return false
			}
			if tv, ok := info.Types[pn.Fun]; ok && tv.IsType() {
				c = p // string(data) or []byte(s)
				continue
			}
			if isTrim(info, pn) {
				c = p
				continue
			}
			if !isLineSplit(info, pn) {
				return false
			}
			return rangedOnce(info, p, fn)
		default:
			return false
		}
	}
}

func isTrim(info *types.Info, call *ast.CallExpr) bool {
	names := []string{"TrimSpace", "TrimRight", "TrimLeft", "Trim", "TrimSuffix"}
	return allocutil.IsFunc(info, call, "strings", names...) || allocutil.IsFunc(info, call, "bytes", names...)
}

// isLineSplit reports whether call splits its first argument into lines.
func isLineSplit(info *types.Info, call *ast.CallExpr) bool {
	if allocutil.IsFunc(info, call, "strings", "Lines") || allocutil.IsFunc(info, call, "bytes", "Lines") {
		return true
	}
	if len(call.Args) != 2 {
		return false
	}
	if !allocutil.IsFunc(info, call, "strings", "Split", "SplitAfter") && !allocutil.IsFunc(info, call, "bytes", "Split", "SplitAfter") {
		return false
	}
	sep, ok := separator(info, call.Args[1])
	return ok && (sep == "\n" || sep == "\r\n")
}

// separator returns the constant value of a separator argument: a string
// constant, []byte("...") of one, or a []byte{'\n'} literal.
func separator(info *types.Info, e ast.Expr) (string, bool) {
	if s, ok := allocutil.ConstString(info, e); ok {
		return s, true
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if tv, ok := info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return allocutil.ConstString(info, e.Args[0])
		}
	case *ast.CompositeLit:
		var s []byte
		for _, elt := range e.Elts {
			b, ok := allocutil.ConstInt(info, elt)
			if !ok || b < 0 || b > 255 {
				return "", false
			}
			s = append(s, byte(b))
		}
		return string(s), true
	}
	return "", false
}

// rangedOnce reports whether the lines produced at split are ranged over
// directly, or assigned to a variable whose only use is a range.
func rangedOnce(info *types.Info, split inspector.Cursor, fn inspector.Cursor) bool {
	p := split.Parent()
	switch pn := p.Node().(type) {
	case *ast.RangeStmt:
		return split.ParentEdgeKind() == edge.RangeStmt_X
	case *ast.AssignStmt:
		if pn.Tok != token.DEFINE || len(pn.Lhs) != 1 || len(pn.Rhs) != 1 {
			return false
		}
		id, ok := pn.Lhs[0].(*ast.Ident)
		if !ok {
			return false
		}
		lines, ok := info.Defs[id].(*types.Var)
		if !ok {
			return false
		}
		use, ok := onlyUse(info, lines, fn)
		if !ok {
			return false
		}
		// A range inside a loop the split is not in iterates the lines
		// more than once.
		l1, in1 := loopinv.Innermost(use.Parent())
		l2, in2 := loopinv.Innermost(split)
		if in1 != in2 || l1 != l2 {
			return false
		}
		_, isRange := use.Parent().Node().(*ast.RangeStmt)
		return isRange && use.ParentEdgeKind() == edge.RangeStmt_X
	}
	return false
}
