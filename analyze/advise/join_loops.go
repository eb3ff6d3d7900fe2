package advise

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
)

// sourceLoops finds the loops around hot lines in the target's source, so
// that concurrency advice names the loop that actually repeats the hot
// code instead of guessing at one. Each file is parsed once; a file that
// cannot be read or parsed is remembered as unknown, and the advice then
// says what it knows without naming a loop.
type sourceLoops struct {
	dir   string
	fset  *token.FileSet
	files map[string]*ast.File // nil: unknown
}

func newSourceLoops(moduleDir string) *sourceLoops {
	return &sourceLoops{dir: moduleDir, fset: token.NewFileSet(), files: map[string]*ast.File{}}
}

// loopStmt is a for or range statement: the line of its keyword and the
// node, to look inside it.
type loopStmt struct {
	line int
	node ast.Stmt
}

// file parses file (relative to the module dir, or absolute) once.
func (s *sourceLoops) file(name string) *ast.File {
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

func (s *sourceLoops) line(p token.Pos) int { return s.fset.Position(p).Line }

// funcAt returns the body of the innermost function (declaration or
// literal) of f whose span contains line. Loops outside a function
// literal do not repeat its body one call at a time (the literal may be a
// goroutine), so the search for loops stops at it.
func (s *sourceLoops) funcAt(f *ast.File, line int) *ast.BlockStmt {
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

// around returns the loops of the innermost function containing file:line
// that contain the line, outermost first, and whether the source was read.
func (s *sourceLoops) around(file string, line int) (loops []loopStmt, known bool) {
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
			loops = append(loops, loopStmt{s.line(n.Pos()), n.(ast.Stmt)})
		}
		return true
	})
	return loops, true
}

// loopChoice is the loop that repeats the code at a line.
type loopChoice struct {
	loop loopStmt
	// inner lists the loops nested in loop around the line, which stay
	// sequential when loop's iterations run concurrently.
	inner []int
	// pinned is a variable declared in loop's body that the calls at the
	// line act on: the inner loops' calls on it are ordered (writes to one
	// file, reads of one stream). "" when nothing pins the inner loops.
	pinned string
}

// choose picks, among loops (outermost first) around line, the loop whose
// iterations are the unit of concurrency: the loop that declares a value
// the calls at line act on (its inner loops work on that one value in
// order), else the outermost loop for CPU work (coarse work per worker)
// or the innermost for I/O (the loop that makes the calls).
func (s *sourceLoops) choose(file string, line int, loops []loopStmt, cpu bool) loopChoice {
	pin, name := -1, ""
	for _, v := range s.callOperands(file, line) {
		// The innermost loop whose body declares v before the line.
		for i := len(loops) - 1; i >= 0; i-- {
			if s.declaresBefore(loops[i].node, v, line) {
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
	c := loopChoice{loop: loops[i]}
	for _, l := range loops[i+1:] {
		c.inner = append(c.inner, l.line)
	}
	if pin >= 0 && i == pin && len(c.inner) > 0 {
		c.pinned = name
	}
	return c
}

// callOperands returns the plain identifiers the calls at file:line act
// on: method receivers (f in f.Sync()) and arguments (f in io.Copy(w, f)).
func (s *sourceLoops) callOperands(file string, line int) []string {
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
func (s *sourceLoops) declaresBefore(loop ast.Stmt, name string, line int) bool {
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

// loopCalling returns the loop, in the function containing file:line,
// that calls the function named fn (as pprof names it) within its body:
// of the loops around the first such call, the outermost for CPU work and
// the innermost for I/O. known is false when the source cannot be read.
func (s *sourceLoops) loopCalling(file string, line int, fn string, cpu bool) (l loopStmt, ok, known bool) {
	f := s.file(file)
	if f == nil {
		return loopStmt{}, false, false
	}
	name := shortName(fn)
	body := s.funcAt(f, line)
	if body == nil || name == "" {
		return loopStmt{}, false, true
	}
	// Inspect calls the visitor with nil after a node's children: the
	// stack of open nodes tells which loops enclose a call.
	var open []ast.Node
	var found []loopStmt
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
						found = append(found, loopStmt{s.line(o.Pos()), o.(ast.Stmt)})
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
		return loopStmt{}, false, true
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

// sequentialScan reports whether loop advances its counter inside the
// body (for i := 0; i < n; { ...; i += step }): each iteration starts
// where the one before ended, so the iterations cannot run concurrently.
func sequentialScan(loop ast.Stmt) bool {
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
