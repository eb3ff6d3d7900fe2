// Package ignore implements advisor's suppression directives:
//
//	x := f() //advisor:ignore rule[,rule...] reason
//
//	//advisor:ignore rule[,rule...] reason
//	x := f()
//
//	// Parse reads the whole file on purpose.
//	//
//	//advisor:ignore readallstream,stringconcat inputs are tiny
//	func Parse(...) { ... }
//
// A directive at the end of a line covers that line; a directive alone on a
// line covers the next line; a directive in a function's doc comment covers
// the whole function (including its closures). The reason is mandatory, so
// that every suppression explains itself to the next reader.
//
// Suppression is applied by wrapping analyzers (Wrap): the wrapper filters
// pass.Report through the package's directives, so the same wrapped
// analyzers serve `advisor lint` (go/analysis/checker) and `advisor-vet`
// (unitchecker) alike. The Directives analyzer parses the directives once
// per package and reports malformed ones.
package ignore

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
)

// Prefix starts every suppression directive. Like other Go directives
// (//go:build, //nolint) it has no space after the slashes.
const Prefix = "//advisor:ignore"

// DirectivesName is the name of the analyzer returned by Directives; it is
// the rule id of its own diagnostics (malformed directives).
const DirectivesName = "ignoredirective"

// Set is the result of the Directives analyzer: a package's well-formed
// suppression directives.
type Set struct {
	byFile map[*token.File][]directive
}

// directive is one parsed //advisor:ignore comment and the lines it covers.
type directive struct {
	rules       []string
	first, last int // covered lines, inclusive
}

// Suppressed reports whether the diagnostic d of the rule is covered by a
// directive naming that rule.
func (s *Set) Suppressed(fset *token.FileSet, rule string, d analysis.Diagnostic) bool {
	if s == nil || len(s.byFile) == 0 || !d.Pos.IsValid() {
		return false
	}
	tf := fset.File(d.Pos)
	if tf == nil {
		return false
	}
	line := tf.Line(d.Pos)
	for _, dir := range s.byFile[tf] {
		if line >= dir.first && line <= dir.last && slices.Contains(dir.rules, rule) {
			return true
		}
	}
	return false
}

// Directives returns an analyzer that parses the //advisor:ignore directives
// of a package (its result is a *Set) and reports malformed ones: a missing
// rule list, a missing reason, or a rule not in known.
func Directives(known []string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:             DirectivesName,
		Doc:              "ignoredirective: check //advisor:ignore directives\n\nA suppression directive must name known rules and give a reason:\n\n\t//advisor:ignore rule[,rule...] reason",
		URL:              "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/internal/ignore",
		Run:              func(pass *analysis.Pass) (any, error) { return parse(pass, known), nil },
		RunDespiteErrors: true,
		ResultType:       reflect.TypeFor[*Set](),
	}
}

// Wrap returns a copy of a whose diagnostics are filtered through the
// directives parsed by the analyzer dirs (made by Directives). The copy has
// the same name, documentation, facts and result as a.
func Wrap(a, dirs *analysis.Analyzer) *analysis.Analyzer {
	w := *a
	w.Requires = append(slices.Clip(a.Requires), dirs)
	w.Run = func(pass *analysis.Pass) (any, error) {
		set, _ := pass.ResultOf[dirs].(*Set)
		report := pass.Report
		// A shallow copy of the pass with a filtering Report: the
		// analyzer's Reportf/ReportRangef go through it too.
		filtered := *pass
		filtered.Report = func(d analysis.Diagnostic) {
			if !set.Suppressed(pass.Fset, a.Name, d) {
				report(d)
			}
		}
		return a.Run(&filtered)
	}
	return &w
}

// WrapAll wraps every analyzer of as with one shared Directives analyzer
// that knows their names. It returns the wrapped analyzers, in order, and
// the Directives analyzer (run it as a root too, to report bad directives).
func WrapAll(as []*analysis.Analyzer) (wrapped []*analysis.Analyzer, dirs *analysis.Analyzer) {
	known := make([]string, len(as))
	for i, a := range as {
		known[i] = a.Name
	}
	dirs = Directives(known)
	wrapped = make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		wrapped[i] = Wrap(a, dirs)
	}
	return wrapped, dirs
}

// parse collects the directives of every file of the pass, reporting the
// malformed ones.
func parse(pass *analysis.Pass, known []string) *Set {
	set := &Set{byFile: make(map[*token.File][]directive)}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.Pos())
		if tf == nil {
			continue
		}
		var codeEnds map[int]token.Pos // line -> latest end of code on it; built lazily
		docOf := funcDocs(f)
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				rest, ok := strings.CutPrefix(c.Text, Prefix)
				if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
					continue
				}
				rules, msg := split(rest, known)
				if msg != "" {
					pass.Report(analysis.Diagnostic{Pos: c.Pos(), End: c.End(), Message: msg})
					continue
				}
				d := directive{rules: rules}
				line := tf.Line(c.Pos())
				if fd := docOf[cg]; fd != nil {
					d.first, d.last = tf.Line(fd.Pos()), tf.Line(fd.End())
				} else {
					if codeEnds == nil {
						codeEnds = codeLineEnds(tf, f)
					}
					if end, ok := codeEnds[line]; ok && end <= c.Pos() {
						d.first, d.last = line, line // end of a line of code
					} else {
						d.first, d.last = line+1, line+1 // alone: covers the next line
					}
				}
				set.byFile[tf] = append(set.byFile[tf], d)
			}
		}
	}
	return set
}

// split parses the text after the prefix: a comma-separated rule list and a
// reason. It returns a non-empty msg when the directive is malformed.
func split(rest string, known []string) (rules []string, msg string) {
	rest = strings.TrimSpace(rest)
	list, reason := rest, ""
	if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
		list, reason = rest[:i], strings.TrimSpace(rest[i:])
	}
	if list == "" {
		return nil, "advisor:ignore directive needs a rule and a reason: //advisor:ignore rule[,rule] reason"
	}
	for r := range strings.SplitSeq(list, ",") {
		if r == "" {
			return nil, fmt.Sprintf("advisor:ignore directive has an empty rule name in %q", list)
		}
		if !slices.Contains(known, r) { //advisor:ignore linearsearch a dozen rule names: a scan beats building a map
			return nil, fmt.Sprintf("advisor:ignore directive names unknown rule %q (see advisor lint --explain)", r)
		}
		rules = append(rules, r)
	}
	if reason == "" {
		return nil, fmt.Sprintf("advisor:ignore %s directive needs a reason after the rule list", list)
	}
	return rules, ""
}

// funcDocs maps each function's doc comment group to the function.
func funcDocs(f *ast.File) map[*ast.CommentGroup]*ast.FuncDecl {
	m := make(map[*ast.CommentGroup]*ast.FuncDecl)
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			m[fd.Doc] = fd
		}
	}
	return m
}

// codeLineEnds records, for every line on which some syntax node ends, the
// earliest such end. A comment is at the end of a line of code iff some node
// ends on its line before it. Only computed for files that have directives.
func codeLineEnds(tf *token.File, f *ast.File) map[int]token.Pos {
	ends := make(map[int]token.Pos)
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.Comment, *ast.CommentGroup:
			return false
		}
		if end := n.End(); end.IsValid() && int(end) <= tf.Base()+tf.Size() {
			l := tf.Line(end)
			if prev, ok := ends[l]; !ok || end < prev {
				ends[l] = end
			}
		}
		return true
	})
	return ends
}
