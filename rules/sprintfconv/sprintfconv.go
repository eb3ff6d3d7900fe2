package sprintfconv

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"

	"github.com/advisor-dev/advisor/rules/internal/loopinv"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports fmt.Sprintf of one integer or bool in a loop.
var Analyzer = &analysis.Analyzer{
	Name:     "sprintfconv",
	Doc:      ruledoc.Extract(doc, "sprintfconv"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/sprintfconv",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// smallTrips is the largest constant trip count of a loop left alone.
const smallTrips = 8

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn, ok := typeutil.Callee(info, call).(*types.Func)
		if !ok || fn.FullName() != "fmt.Sprintf" || len(call.Args) != 2 || call.Ellipsis.IsValid() {
			continue
		}
		format := info.Types[call.Args[0]].Value
		if format == nil || format.Kind() != constant.String {
			continue
		}
		conv := strconvFor(info.TypeOf(call.Args[1]), constant.StringVal(format))
		if conv == "" {
			continue
		}
		loop, ok := loopinv.Innermost(cur)
		if !ok {
			continue
		}
		if n, ok := loopinv.ConstTrips(info, loop.Node().(ast.Stmt)); ok && n <= smallTrips {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: "builder",
			Message:  fmt.Sprintf("fmt.Sprintf formats one value in a loop; %s does the same without fmt's parsing and boxing", conv),
		})
	}
	return nil, nil
}

// strconvFor returns the strconv call equivalent to Sprintf(format, x) for
// x of type t, or "" when there is none.
func strconvFor(t types.Type, format string) string {
	if t == nil {
		return ""
	}
	if types.NewMethodSet(t).Len() > 0 || types.NewMethodSet(types.NewPointer(t)).Len() > 0 {
		return "" // String or Format may change what is printed
	}
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return ""
	}
	switch {
	case b.Info()&types.IsBoolean != 0 && (format == "%t" || format == "%v"):
		return "strconv.FormatBool"
	case b.Info()&types.IsInteger != 0 && (format == "%d" || format == "%v"):
		switch {
		case b.Kind() == types.Int && t == types.Typ[types.Int]:
			return "strconv.Itoa"
		case b.Info()&types.IsUnsigned != 0:
			return "strconv.FormatUint"
		}
		return "strconv.FormatInt"
	}
	return ""
}
