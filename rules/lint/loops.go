package lint

import (
	"go/ast"
	"go/token"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/advisor-dev/advisor/rules/internal/loopdep"
)

// Loop is the dependence verdict of one loop of the analyzed code, for
// advice that recommends running its iterations concurrently: the profile
// says where the time goes, this says whether the loop there allows it.
type Loop struct {
	File    string // relative to Result.Root, like findings
	Line    int    // of the for statement
	EndLine int    // of its closing brace
	// Verdict is "independent", "reduction", "ordered" or "dependent".
	Verdict string
	// Reason says why the loop is dependent or ordered, or names its
	// reductions ("" when independent).
	Reason string
	// AlreadyConcurrent: the loop already starts a goroutine per
	// iteration (or runs inside one per item).
	AlreadyConcurrent bool
	// OrderLines are the lines of the body's ordered effects (a call that
	// prints, writes a shared writer, sends, exits): what a call there does
	// stays in order when the rest runs concurrently.
	OrderLines []int
}

// loopsAnalyzer runs the loop dependence analysis over every loop of a
// package; it reports nothing, its result is a []rawLoop.
var loopsAnalyzer = &analysis.Analyzer{
	Name:       "advisorloops",
	Doc:        "loop dependence verdicts for advisor's concurrency advice (reports nothing)",
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	ResultType: reflect.TypeFor[[]rawLoop](),
	Run:        runLoops,
}

type rawLoop struct {
	stmt ast.Stmt
	res  loopdep.Result
}

func runLoops(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	dep := loopdep.New(pass.TypesInfo, pass.Pkg, pass.Files)
	var out []rawLoop
	ins.Preorder([]ast.Node{(*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)}, func(n ast.Node) {
		s := n.(ast.Stmt)
		out = append(out, rawLoop{s, dep.Loop(s)})
	})
	return out, nil
}

// loopsOf converts an action's loop verdicts, with paths like findings.
func (c *collector) loopsOf(fset *token.FileSet, raw []rawLoop) {
	for _, l := range raw {
		start, end := fset.Position(l.stmt.Pos()), fset.Position(l.stmt.End())
		var lines []int
		for _, o := range l.res.Orders {
			if n := fset.Position(o.Pos).Line; !slices.Contains(lines, n) {
				lines = append(lines, n)
			}
		}
		c.res.Loops = append(c.res.Loops, Loop{
			File: c.rel(start.Filename), Line: start.Line, EndLine: end.Line,
			Verdict: l.res.Verdict.String(), Reason: l.res.Reason,
			AlreadyConcurrent: l.res.AlreadyConcurrent || l.res.Spawns,
			OrderLines:        lines,
		})
	}
}
