package repeatedio

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
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

// Analyzer reports reads repeated in a loop with a loop-invariant key.
var Analyzer = &analysis.Analyzer{
	Name:     "repeatedio",
	Doc:      ruledoc.Extract(doc, "repeatedio"),
	URL:      "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/repeatedio",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// medium is what a read touches, which decides which writes invalidate it.
type medium int

const (
	disk medium = iota
	web
	db
	dns
)

type reader struct {
	medium medium
	what   string // for the message: "reads the file", ...
}

// readers lists the reads by full function name.
var readers = map[string]reader{
	"os.ReadFile":        {disk, "reads the same file"},
	"os.Open":            {disk, "opens the same file"},
	"os.Stat":            {disk, "stats the same file"},
	"os.Lstat":           {disk, "stats the same file"},
	"os.ReadDir":         {disk, "lists the same directory"},
	"io/ioutil.ReadFile": {disk, "reads the same file"},
	"io/ioutil.ReadDir":  {disk, "lists the same directory"},
	"path/filepath.Glob": {disk, "globs the same pattern"},

	"net/http.Get":            {web, "fetches the same URL"},
	"net/http.Head":           {web, "fetches the same URL"},
	"(*net/http.Client).Get":  {web, "fetches the same URL"},
	"(*net/http.Client).Head": {web, "fetches the same URL"},

	"(*database/sql.DB).Query":             {db, "runs the same query"},
	"(*database/sql.DB).QueryContext":      {db, "runs the same query"},
	"(*database/sql.DB).QueryRow":          {db, "runs the same query"},
	"(*database/sql.DB).QueryRowContext":   {db, "runs the same query"},
	"(*database/sql.Tx).Query":             {db, "runs the same query"},
	"(*database/sql.Tx).QueryContext":      {db, "runs the same query"},
	"(*database/sql.Tx).QueryRow":          {db, "runs the same query"},
	"(*database/sql.Tx).QueryRowContext":   {db, "runs the same query"},
	"(*database/sql.Conn).QueryContext":    {db, "runs the same query"},
	"(*database/sql.Conn).QueryRowContext": {db, "runs the same query"},
	"(*database/sql.Stmt).Query":           {db, "runs the same query"},
	"(*database/sql.Stmt).QueryContext":    {db, "runs the same query"},
	"(*database/sql.Stmt).QueryRow":        {db, "runs the same query"},
	"(*database/sql.Stmt).QueryRowContext": {db, "runs the same query"},

	"net.LookupHost":               {dns, "resolves the same name"},
	"net.LookupIP":                 {dns, "resolves the same name"},
	"net.LookupAddr":               {dns, "resolves the same name"},
	"net.LookupCNAME":              {dns, "resolves the same name"},
	"(*net.Resolver).LookupHost":   {dns, "resolves the same name"},
	"(*net.Resolver).LookupIPAddr": {dns, "resolves the same name"},
	"(*net.Resolver).LookupNetIP":  {dns, "resolves the same name"},
}

// smallTrips is the constant trip count below which a loop is a bounded
// retry or too short to matter.
const smallTrips = 10

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if strings.HasSuffix(pass.Fset.File(call.Pos()).Name(), "_test.go") {
			continue // tests repeat I/O on purpose: pools, retries, caches
		}
		fn := typeutil.StaticCallee(info, call)
		if fn == nil {
			continue
		}
		rd, ok := readers[fn.FullName()]
		if !ok {
			continue
		}
		loops := loopinv.Enclosing(cur)
		if len(loops) == 0 {
			continue
		}
		loopCur := loops[0]
		loop := loopinv.New(info, loopCur, loopinv.MayAlias)
		if !keyInvariant(info, loop, call) {
			continue
		}
		if n, ok := loopinv.ConstTrips(info, loop.Node()); ok && n < smallTrips || loopinv.Repeats(info, loop.Node()) {
			continue
		}
		if loopinv.OncePerLoop(info, loopCur, cur) || retryLoop(info, loopCur) || mayWrite(info, loop.Node(), call, rd.medium) {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: "cache",
			Message:  fmt.Sprintf("%s %s on every iteration with a loop-invariant key (read it once before the loop, or memoize by key)", astutil.FuncName(fn), rd.what),
		})
	}
	return nil, nil
}

// keyInvariant reports whether the receiver (if any) and every argument of
// the read are the same on every iteration. Arguments are checked by value:
// a *sql.DB or *http.Client variable that the loop does not reassign is the
// same handle, whatever its internal state.
func keyInvariant(info *types.Info, loop *loopinv.Loop, call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if !loop.Invariant(a) && !sameHandle(info, loop, a) {
			return false
		}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && info.Selections[sel] != nil {
		return loop.Invariant(sel.X) || sameHandle(info, loop, sel.X)
	}
	return true
}

// sameHandle reports whether e names a variable or field chain (db, s.db)
// of pointer or interface type (a handle or a context) that the loop does
// not assign by name: the handle's identity is the same each iteration even
// if the loop has effects on what it points to.
func sameHandle(info *types.Info, loop *loopinv.Loop, e ast.Expr) bool {
	switch info.TypeOf(e).Underlying().(type) {
	case *types.Pointer, *types.Interface:
	default:
		return false
	}
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.Uses[x].(*types.Var)
			return ok && !assignedByName(info, loop.Node(), v)
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[x]; !ok || sel.Kind() != types.FieldVal {
				return false
			}
			if fieldAssigned(info, loop.Node(), info.Selections[x].Obj()) {
				return false
			}
			e = x.X
		default:
			return false
		}
	}
}

// assignedByName reports whether the loop assigns v by name, or declares it.
func assignedByName(info *types.Info, loop ast.Node, v *types.Var) bool {
	if loop.Pos() <= v.Pos() && v.Pos() < loop.End() {
		return true
	}
	found := false
	ast.Inspect(loop, func(n ast.Node) bool {
		var lhs []ast.Expr
		switch n := n.(type) {
		case *ast.AssignStmt:
			lhs = n.Lhs
		case *ast.IncDecStmt:
			lhs = []ast.Expr{n.X}
		case *ast.RangeStmt:
			lhs = []ast.Expr{n.Key, n.Value}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				lhs = []ast.Expr{n.X}
			}
		}
		for _, e := range lhs {
			if id, ok := e.(*ast.Ident); ok && info.Uses[id] == v {
				found = true
			}
		}
		return !found
	})
	return found
}

// fieldAssigned reports whether the loop assigns to the field f of any
// value.
func fieldAssigned(info *types.Info, loop ast.Node, f types.Object) bool {
	found := false
	ast.Inspect(loop, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, lhs := range as.Lhs {
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && info.ObjectOf(sel.Sel) == f {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// retryLoop reports whether the loop looks like it exists to read again:
// it sleeps or waits (time.Sleep, timers, tickers, channel receives,
// select), or it is not a range over a collection and can leave early
// (for {} / for cond {} / counted loops that break or return on success).
func retryLoop(info *types.Info, loopCur inspector.Cursor) bool {
	waits := false
	ast.Inspect(loopCur.Node(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectStmt:
			waits = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				waits = true
			}
		case *ast.CallExpr:
			if fn := typeutil.StaticCallee(info, n); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time" {
				switch fn.Name() {
				case "Sleep", "After", "Tick", "NewTimer", "NewTicker", "AfterFunc":
					waits = true
				}
			}
			if fn := typeutil.StaticCallee(info, n); fn != nil && strings.Contains(strings.ToLower(fn.Name()), "backoff") {
				waits = true // backoff helpers sleep
			}
		}
		return !waits
	})
	if waits {
		return true
	}
	if r, ok := loopCur.Node().(*ast.RangeStmt); ok {
		switch info.TypeOf(r.X).Underlying().(type) {
		case *types.Slice, *types.Array, *types.Map, *types.Pointer:
			return false // iterating a collection: leaving early is a search
		case *types.Basic:
			if b := info.TypeOf(r.X).Underlying().(*types.Basic); b.Info()&types.IsString != 0 {
				return false
			}
		}
	}
	return canLeave(info, loopCur)
}

// canLeave reports whether the loop body contains a return, a goto, or a
// break that ends this loop.
func canLeave(info *types.Info, loopCur inspector.Cursor) bool {
	loop := loopCur.Node()
	body := astutil.LoopBody(loop)
	leaves := false
	var walk func(n ast.Node, inner bool)
	walk = func(n ast.Node, inner bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			if leaves || x == nil {
				return false
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				leaves = true
			case *ast.BranchStmt:
				switch {
				case x.Tok == token.GOTO:
					leaves = true
				case x.Tok == token.BREAK && x.Label == nil:
					leaves = !inner
				case x.Tok == token.BREAK:
					lbl, _ := info.Uses[x.Label].(*types.Label)
					leaves = lbl != nil && !(loop.Pos() < lbl.Pos() && lbl.Pos() < loop.End())
				}
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt:
				if x != loop {
					// An unlabeled break inside stops at x.
					for _, c := range children(x) {
						walk(c, true)
					}
					return false
				}
			}
			return true
		})
	}
	walk(body, false)
	return leaves
}

// children returns the direct child nodes of n.
func children(n ast.Node) []ast.Node {
	var cs []ast.Node
	ast.Inspect(n, func(x ast.Node) bool {
		if x == n {
			return true
		}
		if x != nil {
			cs = append(cs, x)
		}
		return false
	})
	return cs
}

// mayWrite reports whether the loop may change what the read returns: it
// calls a function that writes the same medium, or it passes a variable of
// the read's key to some other function that is not known to be pure.
func mayWrite(info *types.Info, loop ast.Node, read *ast.CallExpr, m medium) bool {
	keyVars := make(map[types.Object]bool)
	for _, a := range read.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok {
					keyVars[v] = true
				}
			}
			return true
		})
	}
	found := false
	ast.Inspect(loop, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found || call == read {
			return !found
		}
		fn := typeutil.StaticCallee(info, call)
		if fn != nil && writes(fn, m) {
			found = true
			return false
		}
		if fn != nil && (loopinv.IsPure(fn) || readers[fn.FullName()].what != "") {
			return true
		}
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
			return true // conversion
		}
		for _, a := range call.Args {
			ast.Inspect(a, func(x ast.Node) bool {
				if id, ok := x.(*ast.Ident); ok && keyVars[info.Uses[id]] {
					found = true
				}
				return !found
			})
		}
		return !found
	})
	return found
}

// writes reports whether fn may change what a read of medium m returns.
func writes(fn *types.Func, m medium) bool {
	if fn.Pkg() == nil {
		return false
	}
	name, path := fn.FullName(), fn.Pkg().Path()
	switch m {
	case disk:
		switch path {
		case "os/exec":
			return true
		case "os", "io/ioutil":
			if readers[name].what != "" {
				return false
			}
			switch name {
			case "os.Getenv", "os.LookupEnv", "os.Getwd", "os.Getpid", "os.Hostname", "os.IsNotExist", "os.IsExist",
				"(*os.File).Read", "(*os.File).ReadAt", "(*os.File).Stat", "(*os.File).Close", "(*os.File).Name",
				"(*os.File).Fd", "(*os.File).ReadDir", "(*os.File).Readdirnames", "(*os.File).Seek":
				return false
			}
			return true
		}
	case web:
		switch name {
		case "net/http.Post", "net/http.PostForm", "(*net/http.Client).Do", "(*net/http.Client).Post",
			"(*net/http.Client).PostForm", "net/http.NewRequest", "net/http.NewRequestWithContext":
			return true
		}
	case db:
		if path == "database/sql" {
			return strings.HasPrefix(fn.Name(), "Exec") || strings.HasPrefix(fn.Name(), "Begin") ||
				fn.Name() == "Commit" || fn.Name() == "Rollback" || strings.HasPrefix(fn.Name(), "Prepare")
		}
	}
	return false
}
