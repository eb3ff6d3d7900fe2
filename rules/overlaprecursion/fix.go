package overlaprecursion

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/advisor-dev/advisor/rules/internal/astutil"
)

// memoizeFix rewrites a plain, directly self-recursive function whose
// parameters are all of basic type into one that memoizes a recursive
// closure in a map local to the top-level call. It declines (ok == false)
// whenever the rewrite might change behavior or not compile: methods and
// generic functions, named or multiple results, variadic or unnamed
// parameters, defer/recover (whose meaning changes inside a closure), and
// bodies that assign to or take the address of a parameter (the key would
// no longer name the subproblem).
func memoizeFix(pass *analysis.Pass, fn *types.Func, fd *ast.FuncDecl) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	if fd.Recv != nil || fd.Type.TypeParams != nil {
		return none, false
	}
	res := fd.Type.Results
	if res == nil || len(res.List) != 1 || len(res.List[0].Names) != 0 {
		return none, false
	}
	sig := fn.Signature()
	if sig.Variadic() || sig.Params().Len() == 0 {
		return none, false
	}
	var names []string
	for p := range sig.Params().Variables() {
		b, ok := p.Type().Underlying().(*types.Basic)
		if !ok || b.Info()&(types.IsInteger|types.IsString|types.IsBoolean) == 0 || p.Name() == "" || p.Name() == "_" {
			return none, false
		}
		names = append(names, p.Name())
	}
	if !rewritable(pass.TypesInfo, fn, fd) {
		return none, false
	}
	tf := pass.Fset.File(fd.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return none, false
	}
	text := func(n ast.Node) string { return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())]) }

	used := make(map[string]bool)
	ast.Inspect(fd, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	fresh := func(base string) string {
		name := base
		for i := 1; used[name]; i++ {
			name = fmt.Sprintf("%s%d", base, i)
		}
		used[name] = true
		return name
	}
	memo, rec, v, ok := fresh("memo"), fresh("rec"), fresh("v"), fresh("ok")

	// The body, with references to fn renamed to the memoizing closure.
	bodyStart, bodyEnd := tf.Offset(fd.Body.Lbrace)+1, tf.Offset(fd.Body.Rbrace)
	var body bytes.Buffer
	last := bodyStart
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if id, isIdent := n.(*ast.Ident); isIdent && pass.TypesInfo.Uses[id] == fn {
			body.Write(src[last:tf.Offset(id.Pos())])
			body.WriteString(rec)
			last = tf.Offset(id.End())
		}
		return true
	})
	body.Write(src[last:bodyEnd])

	params, result := text(fd.Type.Params), text(res.List[0].Type)
	// The map key: the parameter itself, an array of identically typed
	// parameters, or a local struct type.
	keyType, keyExpr, keyDecl, typeDecl := text(fd.Type.Params.List[0].Type), names[0], "", ""
	if len(names) > 1 {
		k := fresh("k")
		keyExpr = k
		if identicalParams(sig) {
			keyType = fmt.Sprintf("[%d]%s", len(names), text(fd.Type.Params.List[0].Type))
		} else {
			keyType = fresh("key")
			var fields []string
			for _, f := range fd.Type.Params.List {
				for _, n := range f.Names {
					fields = append(fields, n.Name+" "+text(f.Type))
				}
			}
			typeDecl = fmt.Sprintf("type %s struct{ %s }\n", keyType, strings.Join(fields, "; "))
		}
		keyDecl = fmt.Sprintf("%s := %s{%s}\n", k, keyType, strings.Join(names, ", "))
	}

	var b strings.Builder
	fmt.Fprintf(&b, "{\n%s%s := make(map[%s]%s)\n", typeDecl, memo, keyType, result)
	fmt.Fprintf(&b, "var %s func%s %s\n", rec, params, result)
	fmt.Fprintf(&b, "%s = func%s %s {\n%s", rec, params, result, keyDecl)
	fmt.Fprintf(&b, "if %s, %s := %s[%s]; %s {\nreturn %s\n}\n", v, ok, memo, keyExpr, ok, v)
	fmt.Fprintf(&b, "%s := func() %s {%s}()\n", v, result, body.String())
	fmt.Fprintf(&b, "%s[%s] = %s\nreturn %s\n}\n", memo, keyExpr, v, v)
	fmt.Fprintf(&b, "return %s(%s)\n}", rec, strings.Join(names, ", "))

	const header = "package p\n\nfunc _() "
	formatted, err := format.Source([]byte(header + b.String()))
	if err != nil || !bytes.HasPrefix(formatted, []byte(header)) {
		return none, false
	}
	newBody := bytes.TrimSuffix(formatted[len(header):], []byte("\n"))
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("memoize %s in a map local to each top-level call", fn.Name()),
		TextEdits: []analysis.TextEdit{{
			Pos:     fd.Body.Pos(),
			End:     fd.Body.End(),
			NewText: newBody,
		}},
	}, true
}

func identicalParams(sig *types.Signature) bool {
	ps := sig.Params()
	for i := 1; i < ps.Len(); i++ {
		if !types.Identical(ps.At(0).Type(), ps.At(i).Type()) {
			return false
		}
	}
	return true
}

// rewritable reports whether moving fd's body into a closure keeps its
// meaning: no defer or recover, no writes to or addresses of parameters.
func rewritable(info *types.Info, fn *types.Func, fd *ast.FuncDecl) bool {
	params := astutil.Params(fn)
	isParam := func(e ast.Expr) bool { return astutil.Param(info, params, e) != nil }
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			ok = false
		case *ast.CallExpr:
			if id, isIdent := ast.Unparen(n.Fun).(*ast.Ident); isIdent && id.Name == "recover" {
				if _, isBuiltin := info.Uses[id].(*types.Builtin); isBuiltin {
					ok = false
				}
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if n.Tok != token.DEFINE && isParam(lhs) {
					ok = false
				}
			}
		case *ast.IncDecStmt:
			if isParam(n.X) {
				ok = false
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && isParam(n.X) {
				ok = false
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN && (isParam(n.Key) || (n.Value != nil && isParam(n.Value))) {
				ok = false
			}
		}
		return ok
	})
	return ok
}
