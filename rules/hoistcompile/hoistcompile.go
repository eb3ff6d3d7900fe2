package hoistcompile

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
	"github.com/advisor-dev/advisor/rules/internal/loopinv"
	"github.com/advisor-dev/advisor/rules/internal/ruledoc"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports expensive constructors with loop-invariant arguments
// inside loops.
var Analyzer = &analysis.Analyzer{
	Name:     "hoistcompile",
	Doc:      ruledoc.Extract(doc, "hoistcompile"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/hoistcompile",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// constructors maps the flagged functions to what they do, for messages.
var constructors = map[string]string{
	"regexp.Compile":                       "compiles a regular expression",
	"regexp.MustCompile":                   "compiles a regular expression",
	"regexp.CompilePOSIX":                  "compiles a regular expression",
	"regexp.MustCompilePOSIX":              "compiles a regular expression",
	"time.LoadLocation":                    "loads a time zone from the zoneinfo database",
	"strings.NewReplacer":                  "builds a replacer",
	"encoding/json.NewEncoder":             "allocates a JSON encoder",
	"text/template.ParseFiles":             "reads and parses templates",
	"text/template.ParseGlob":              "reads and parses templates",
	"html/template.ParseFiles":             "reads and parses templates",
	"html/template.ParseGlob":              "reads and parses templates",
	"(*text/template.Template).Parse":      "parses a template",
	"(*html/template.Template).Parse":      "parses a template",
	"(*text/template.Template).ParseFiles": "reads and parses templates",
	"(*html/template.Template).ParseFiles": "reads and parses templates",
	"(*text/template.Template).ParseGlob":  "reads and parses templates",
	"(*html/template.Template).ParseGlob":  "reads and parses templates",
}

// matchers compile their pattern argument on every call: with a constant
// pattern in a loop, that is a constant compiled again and again
// (staticcheck's SA6000).
var matchers = map[string]string{
	"regexp.MatchString": "MatchString",
	"regexp.Match":       "Match",
	"regexp.MatchReader": "MatchReader",
}

// smallTrips is the constant trip count below which a loop is too short
// for a repeated constructor to matter.
const smallTrips = 10

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := typeutil.StaticCallee(pass.TypesInfo, call)
		if fn == nil {
			continue
		}
		what, ok := constructors[fn.FullName()]
		method, isMatch := matchers[fn.FullName()]
		if !ok && !isMatch {
			continue
		}
		loops := loopinv.Enclosing(cur)
		if len(loops) == 0 {
			continue
		}
		loopCur := loops[0]
		loop := loopinv.New(pass.TypesInfo, loopCur, loopinv.MayAlias)
		if isMatch {
			// Only the pattern is compiled; the input changes, of course.
			if len(call.Args) != 2 || pass.TypesInfo.Types[call.Args[0]].Value == nil {
				continue
			}
		} else if !argsInvariant(pass.TypesInfo, loop, call) {
			continue
		}
		info := pass.TypesInfo
		if n, ok := loopinv.ConstTrips(info, loop.Node()); ok && n < smallTrips || loopinv.Repeats(info, loop.Node()) {
			continue
		}
		if loopinv.OncePerLoop(pass.TypesInfo, loopCur, cur) || lazyInit(pass.TypesInfo, loopCur, cur) {
			continue
		}
		name := astutil.FuncName(fn)
		if isMatch {
			pass.Report(analysis.Diagnostic{
				Pos:      call.Pos(),
				End:      call.End(),
				Category: "hoist",
				Message: fmt.Sprintf("%s compiles its constant pattern on every iteration (compile it once before the loop with regexp.MustCompile and call its %s method)",
					name, method),
			})
			continue
		}
		diag := analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: "hoist",
			Message:  fmt.Sprintf("%s %s on every iteration with loop-invariant arguments (hoist it out of the loop)", name, what),
		}
		if fix, ok := hoistFix(pass, loopCur, cur, fn); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		pass.Report(diag)
	}
	return nil, nil
}

// argsInvariant reports whether the call's arguments, and for template
// methods the receiver chain, are the same on every iteration.
func argsInvariant(info *types.Info, loop *loopinv.Loop, call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if !loop.Invariant(a) {
			return false
		}
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || info.Selections[sel] == nil {
		return true // a package-level function
	}
	return templateChain(info, loop, sel.X)
}

// templateChain reports whether e is a template built afresh from
// loop-invariant pieces: template.New(c), optionally followed by
// .Funcs(m), .Delims(l, r) or .Option(o...) with invariant arguments, or a
// template variable the loop does not change.
func templateChain(info *types.Info, loop *loopinv.Loop, e ast.Expr) bool {
	e = ast.Unparen(e)
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false // an existing template: Parse adds to it, not a rebuild
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return false
	}
	for _, a := range call.Args {
		if !loop.Invariant(a) {
			return false
		}
	}
	switch fn.FullName() {
	case "text/template.New", "html/template.New":
		return true
	case "(*text/template.Template).Funcs", "(*html/template.Template).Funcs",
		"(*text/template.Template).Delims", "(*html/template.Template).Delims",
		"(*text/template.Template).Option", "(*html/template.Template).Option":
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		return ok && templateChain(info, loop, sel.X)
	}
	return false
}

// lazyInit reports whether the call's result is assigned to a variable
// declared outside the loop inside an if statement whose condition reads
// that variable: the `if re == nil { re = regexp.MustCompile(p) }` idiom,
// which already compiles once.
func lazyInit(info *types.Info, loop, cur inspector.Cursor) bool {
	var assigned []types.Object
	for c := cur.Parent(); c.Valid() && c != loop; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN {
				for _, lhs := range n.Lhs {
					if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && info.Uses[id] != nil {
						assigned = append(assigned, info.Uses[id])
					} else if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
						assigned = append(assigned, info.ObjectOf(sel.Sel))
					} else if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok {
						// cache[k] = compile(k): a memo table filled on a miss.
						if id, ok := ast.Unparen(ix.X).(*ast.Ident); ok {
							assigned = append(assigned, info.Uses[id])
						}
					}
				}
			}
		case *ast.IfStmt:
			if len(assigned) == 0 {
				continue
			}
			found := false
			for _, part := range []ast.Node{n.Init, n.Cond} {
				if part == nil {
					continue
				}
				ast.Inspect(part, func(x ast.Node) bool {
					switch x := x.(type) {
					case *ast.Ident:
						for _, o := range assigned {
							if o != nil && info.Uses[x] == o {
								found = true
							}
						}
					}
					return !found
				})
			}
			if found {
				return true
			}
		}
	}
	return false
}

// hoistFix moves `name := regexp.MustCompile(const)` (or a NewReplacer of
// constants) from the loop body to just before the loop. It applies only
// when the move cannot change behavior: the constructor cannot panic on
// these arguments, the statement is directly in the loop body, no other name
// is shadowed or clashes, and the variable is only read.
func hoistFix(pass *analysis.Pass, loopCur, cur inspector.Cursor, fn *types.Func) (analysis.SuggestedFix, bool) {
	info := pass.TypesInfo
	call := cur.Node().(*ast.CallExpr)
	stmtCur := cur.Parent()
	stmt, ok := stmtCur.Node().(*ast.AssignStmt)
	if !ok || stmt.Tok != token.DEFINE || len(stmt.Lhs) != 1 || len(stmt.Rhs) != 1 || stmt.Rhs[0] != call {
		return analysis.SuggestedFix{}, false
	}
	body := stmtCur.Parent()
	if body.Parent() != loopCur {
		return analysis.SuggestedFix{}, false
	}
	if _, ok := body.Node().(*ast.BlockStmt); !ok {
		return analysis.SuggestedFix{}, false
	}
	if !safeConstArgs(info, call, fn) {
		return analysis.SuggestedFix{}, false
	}
	id, ok := stmt.Lhs[0].(*ast.Ident)
	if !ok || id.Name == "_" {
		return analysis.SuggestedFix{}, false
	}
	obj := info.Defs[id]
	if obj == nil {
		return analysis.SuggestedFix{}, false
	}
	// The loop statement, or its label, is where the definition goes.
	target := loopCur
	if _, ok := loopCur.Parent().Node().(*ast.LabeledStmt); ok {
		target = loopCur.Parent()
	}
	scope := pass.Pkg.Scope().Innermost(target.Node().Pos())
	if scope == nil {
		return analysis.SuggestedFix{}, false
	}
	if _, o := scope.LookupParent(id.Name, target.Node().Pos()); o != nil {
		return analysis.SuggestedFix{}, false // would shadow or redeclare
	}
	if !onlyRead(info, loopCur.Node(), obj) {
		return analysis.SuggestedFix{}, false
	}
	// Text edits: delete the statement's whole line, insert it before the loop.
	tf := pass.Fset.File(stmt.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	lineStart := tf.LineStart(tf.Line(stmt.Pos()))
	endOff := tf.Offset(stmt.End())
	startOff := tf.Offset(lineStart)
	if strings.TrimSpace(string(src[startOff:tf.Offset(stmt.Pos())])) != "" {
		return analysis.SuggestedFix{}, false // shares its line with other code
	}
	rest := src[endOff:]
	nl := strings.IndexByte(string(rest), '\n')
	if nl < 0 {
		return analysis.SuggestedFix{}, false
	}
	if tail := strings.TrimSpace(string(rest[:nl])); tail != "" && !strings.HasPrefix(tail, "//") {
		return analysis.SuggestedFix{}, false // another statement or a block comment follows
	}
	tgtLine := tf.LineStart(tf.Line(target.Node().Pos()))
	indent := string(src[tf.Offset(tgtLine):tf.Offset(target.Node().Pos())])
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false
	}
	text := strings.TrimRight(string(src[tf.Offset(stmt.Pos()):endOff+nl]), " \t\r") // with its line comment
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("hoist %s out of the loop", id.Name),
		TextEdits: []analysis.TextEdit{
			{Pos: target.Node().Pos(), End: target.Node().Pos(), NewText: []byte(text + "\n" + indent)},
			{Pos: lineStart, End: tf.Pos(endOff + nl + 1), NewText: nil},
		},
	}, true
}

// safeConstArgs reports whether calling fn with the call's arguments before
// the loop behaves as in the loop: the arguments are constants and the
// constructor does not panic on them.
func safeConstArgs(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	var args []string
	for _, a := range call.Args {
		tv := info.Types[a]
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			return false
		}
		args = append(args, constant.StringVal(tv.Value))
	}
	switch fn.FullName() {
	case "regexp.MustCompile":
		_, err := regexp.Compile(args[0])
		return err == nil
	case "regexp.MustCompilePOSIX":
		_, err := regexp.CompilePOSIX(args[0])
		return err == nil
	case "strings.NewReplacer":
		return len(args)%2 == 0 && call.Ellipsis == token.NoPos
	}
	return false
}

// onlyRead reports whether obj is never assigned, incremented or
// address-taken within n (apart from its definition).
func onlyRead(info *types.Info, n ast.Node, obj types.Object) bool {
	ok := true
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.AssignStmt:
			for _, lhs := range x.Lhs {
				if id, isID := ast.Unparen(lhs).(*ast.Ident); isID && info.Uses[id] == obj {
					ok = false
				}
			}
		case *ast.IncDecStmt:
			if id, isID := ast.Unparen(x.X).(*ast.Ident); isID && info.Uses[id] == obj {
				ok = false
			}
		case *ast.UnaryExpr:
			if id, isID := ast.Unparen(x.X).(*ast.Ident); isID && x.Op == token.AND && info.Uses[id] == obj {
				ok = false
			}
		}
		return ok
	})
	return ok
}
