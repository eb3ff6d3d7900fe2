// Package srcloop reads the target's source around hot lines for
// advisor's concurrency advice: which loops enclose a line, which of them
// is the unit of concurrency, and which loop of a caller calls a function.
package srcloop

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
)

// Source finds the loops around hot lines in the target's source, so
// that concurrency advice names the loop that actually repeats the hot
// code instead of guessing at one. Each file is parsed once; a file that
// cannot be read or parsed is remembered as unknown, and the advice then
// says what it knows without naming a loop.
type Source struct {
	dir   string
	fset  *token.FileSet
	files map[string]*ast.File // nil: unknown
}

// New returns a Source reading files relative to moduleDir.
func New(moduleDir string) *Source {
	return &Source{dir: moduleDir, fset: token.NewFileSet(), files: map[string]*ast.File{}}
}

// Stmt is a for or range statement: the line of its keyword and the
// node, to look inside it.
type Stmt struct {
	Line int
	Node ast.Stmt
}

// file parses file (relative to the module dir, or absolute) once.
func (s *Source) file(name string) *ast.File {
	if s == nil || name == "" {
		return nil
	}
	if f, ok := s.files[name]; ok {
		return f
	}
	path := filepath.FromSlash(name)
	if !filepath.IsAbs(path) {
		if s.dir == "" {
			s.files[name] = nil
			return nil // relative to an unknown root: not the user's file
		}
		path = filepath.Join(s.dir, path)
	}
	f, err := parser.ParseFile(s.fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		f = nil // unreadable or not Go: the advice names no loop
	}
	s.files[name] = f
	return f
}

func (s *Source) line(p token.Pos) int { return s.fset.Position(p).Line }

// funcAt returns the body of the innermost function (declaration or
// literal) of f whose span contains line. Loops outside a function
// literal do not repeat its body one call at a time (the literal may be a
// goroutine), so the search for loops stops at it.
func (s *Source) funcAt(f *ast.File, line int) *ast.BlockStmt {
	var body *ast.BlockStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || s.line(n.Pos()) > line || s.line(n.End()) < line {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Body != nil {
				body = n.Body
			}
		case *ast.FuncLit:
			body = n.Body
		}
		return true
	})
	return body
}

// Around returns the loops of the innermost function containing file:line
// that contain the line, outermost first, and whether the source was read.
func (s *Source) Around(file string, line int) (loops []Stmt, known bool) {
	f := s.file(file)
	if f == nil || line <= 0 {
		return nil, false
	}
	body := s.funcAt(f, line)
	if body == nil {
		return nil, true
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || s.line(n.Pos()) > line || s.line(n.End()) < line {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, Stmt{s.line(n.Pos()), n.(ast.Stmt)})
		}
		return true
	})
	return loops, true
}

// Choice is the loop that repeats the code at a line.
type Choice struct {
	Loop Stmt
	// Inner lists the loops nested in Loop around the line, which stay
	// sequential when Loop's iterations run concurrently.
	Inner []int
	// Pinned is a variable declared in Loop's body that the calls at the
	// line act on: the inner loops' calls on it are ordered (writes to one
	// file, reads of one stream). "" when nothing pins the inner loops.
	Pinned string
}

// Choose picks, among loops (outermost first) around line, the loop whose
// iterations are the unit of concurrency: the loop that declares a value
// the calls at line act on (its inner loops work on that one value in
// order), else the outermost loop for CPU work (coarse work per worker)
// or the innermost for I/O (the loop that makes the calls).
func (s *Source) Choose(file string, line int, loops []Stmt, cpu bool) Choice {
	pin, name := -1, ""
	for _, v := range s.callOperands(file, line) {
		// The innermost loop whose body declares v before the line.
		for i := len(loops) - 1; i >= 0; i-- {
			if s.declaresBefore(loops[i].Node, v, line) {
				if pin < 0 || i < pin {
					pin, name = i, v
				}
				break
			}
		}
	}
	i := len(loops) - 1
	switch {
	case cpu:
		// Any loop at or outside the pinned one is safe; the outermost
		// gives each worker the most work per item.
		i = 0
	case pin >= 0:
		i = pin
	}
	c := Choice{Loop: loops[i]}
	for _, l := range loops[i+1:] {
		c.Inner = append(c.Inner, l.Line)
	}
	if pin >= 0 && i == pin && len(c.Inner) > 0 {
		c.Pinned = name
	}
	return c
}

// callOperands returns the plain identifiers the calls at file:line act
// on: method receivers (f in f.Sync()) and arguments (f in io.Copy(w, f)).
func (s *Source) callOperands(file string, line int) []string {
	f := s.file(file)
	if f == nil {
		return nil
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || s.line(n.Pos()) > line || s.line(n.End()) < line {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || s.line(call.Lparen) != line {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				names = append(names, id.Name)
			}
		}
		for _, a := range call.Args {
			if id, ok := a.(*ast.Ident); ok {
				names = append(names, id.Name)
			}
		}
		return true
	})
	return names
}

// declaresBefore reports whether the body of loop declares name (with :=
// or var, outside nested function literals) before line. A loop's own
// header variables do not count: an index or element is not a value the
// inner loops must use in order.
func (s *Source) declaresBefore(loop ast.Stmt, name string, line int) bool {
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.ForStmt:
		body = l.Body
	case *ast.RangeStmt:
		body = l.Body
	}
	found := false
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if found || n == nil || s.line(n.Pos()) >= line {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			// A nested loop's header variables are its own, not values
			// declared per iteration of this loop.
			ast.Inspect(n.Body, visit)
			return false
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok && id.Name == name {
						found = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				if id.Name == name {
					found = true
				}
			}
		}
		return true
	}
	ast.Inspect(body, visit)
	return found
}

// LoopCalling returns the loop, in the function containing file:line,
// that calls the function named fn (as pprof names it) within its body:
// of the loops around the first such call, the outermost for CPU work and
// the innermost for I/O. known is false when the source cannot be read.
func (s *Source) LoopCalling(file string, line int, fn string, cpu bool) (l Stmt, ok, known bool) {
	f := s.file(file)
	if f == nil {
		return Stmt{}, false, false
	}
	name := shortName(fn)
	body := s.funcAt(f, line)
	if body == nil || name == "" {
		return Stmt{}, false, true
	}
	// Inspect calls the visitor with nil after a node's children: the
	// stack of open nodes tells which loops enclose a call.
	var open []ast.Node
	var found []Stmt
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			open = open[:len(open)-1]
			return false
		}
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if calleeName(n.Fun) == name {
				for _, o := range open {
					switch o.(type) {
					case *ast.ForStmt, *ast.RangeStmt:
						found = append(found, Stmt{s.line(o.Pos()), o.(ast.Stmt)})
					}
				}
				if found != nil {
					return false
				}
			}
		}
		open = append(open, n)
		return true
	})
	if len(found) == 0 {
		return Stmt{}, false, true
	}
	if cpu {
		return found[0], true, true
	}
	return found[len(found)-1], true, true
}

// calleeName is the name a call expression calls: f in f(), M in x.M().
func calleeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.IndexExpr:
		return calleeName(e.X)
	case *ast.IndexListExpr:
		return calleeName(e.X)
	}
	return ""
}

// shortName is the name a call in source uses for the function pprof
// names fn: "spin" for "main.spin", "add" for "main.(*table).add",
// "Do" for "example.com/x/y.(*C).Do[...]"; "" for closures.
func shortName(fn string) string {
	fn = strings.TrimSuffix(fn, "[...]")
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	i := strings.LastIndex(fn, ".")
	if i < 0 {
		return ""
	}
	name := fn[i+1:]
	if strings.HasPrefix(name, "func") && strings.Trim(name[4:], "0123456789") == "" && len(name) > 4 {
		return "" // a closure: called by no name
	}
	return name
}

// SequentialScan reports whether loop advances its counter inside the
// body (for i := 0; i < n; { ...; i += step }): each iteration starts
// where the one before ended, so the iterations cannot run concurrently.
func SequentialScan(loop ast.Stmt) bool {
	fs, ok := loop.(*ast.ForStmt)
	if !ok || fs.Cond == nil {
		return false
	}
	vars := map[string]bool{}
	ast.Inspect(fs.Cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			vars[id.Name] = true
		}
		return true
	})
	found := false
	ast.Inspect(fs.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && vars[id.Name] && n.Tok != token.DEFINE {
					found = true
				}
			}
		case *ast.IncDecStmt:
			if id, ok := n.X.(*ast.Ident); ok && vars[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}
