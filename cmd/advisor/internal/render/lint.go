package render

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
)

// LintOptions say how to show the files of a lint result.
type LintOptions struct {
	// WorkDir is the absolute directory files are shown relative to (the
	// directory the user ran in, as go vet does); files outside it, or all
	// of them when WorkDir is "", are shown as in the result.
	WorkDir string
}

// LintText prints one line per finding and bad directive, as go vet does:
// path:line:col: message (rule). Findings with a profile share are ranked
// by it, as the result orders them, and show it ("[12.3%] message");
// without shares, findings and directives are in file order. A finding
// shown only by --all names why it is hidden otherwise: "(rule; test file)".
func LintText(w io.Writer, res *lint.Result, o LintOptions) error {
	type line struct {
		file      string
		line, col int
		text      string
	}
	ranked := false
	lines := make([]line, 0, len(res.Findings)+len(res.DirectiveErrors))
	for _, f := range res.Findings {
		text := f.Message
		if f.HotShare != nil {
			ranked = true
			text = fmt.Sprintf("[%.1f%%] %s", 100**f.HotShare, text)
		}
		tag := f.Rule
		if f.Hidden != "" {
			tag += "; " + f.Hidden
		}
		lines = append(lines, line{f.File, f.Line, f.Column, fmt.Sprintf("%s (%s)", text, tag)})
	}
	n := len(lines)
	for _, d := range res.DirectiveErrors {
		lines = append(lines, line{d.File, d.Line, d.Column, fmt.Sprintf("%s (%s)", d.Message, lint.IgnoreRule)})
	}
	// Both lists are sorted by position already; a reader wants them
	// interleaved, as the compiler and go vet print. Ranked findings keep
	// their rank, directives follow.
	byPos := func(a, b line) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
	}
	if ranked {
		slices.SortStableFunc(lines[n:], byPos)
	} else {
		slices.SortStableFunc(lines, byPos)
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s:%d:%d: %s\n", DisplayPath(res.Root, o.WorkDir, l.file), l.line, l.col, l.text)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write findings: %w", err)
	}
	return nil
}

// LintDiff prints changes (from lint.Changes) as one unified diff with a/
// and b/ prefixes, so that git apply and patch -p1 take it. root is the
// lint result's Root; files are named as by LintText.
func LintDiff(w io.Writer, changes []lint.Change, root string, o LintOptions) error {
	var b strings.Builder
	for _, c := range changes {
		name := DisplayPath(root, o.WorkDir, c.File)
		b.WriteString(lint.UnifiedDiff("a/"+name, "b/"+name, c.Old, c.New))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

// DisplayPath shows a file of a lint result (relative to root, or
// absolute) relative to workDir, as go vet does (../../work/work.go from
// a sibling directory), and as given when no relative path exists.
func DisplayPath(root, workDir, file string) string {
	if workDir == "" {
		return file
	}
	abs := file
	if !filepath.IsAbs(filepath.FromSlash(file)) {
		abs = filepath.Join(root, filepath.FromSlash(file))
	}
	if r, err := filepath.Rel(workDir, abs); err == nil {
		return filepath.ToSlash(r)
	}
	return file
}

// RuleList prints one line per rule: its name, category and title, and
// how to learn more.
func RuleList(w io.Writer, rules []all.Rule) error {
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "%-18s %-12s %s\n", r.Analyzer.Name, r.Category, ruleTitle(r.Analyzer.Name, r.Analyzer.Doc))
	}
	b.WriteString("\nadvisor lint --explain RULE shows what a rule reports, why, and how to fix it.\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write rules: %w", err)
	}
	return nil
}

// RuleDoc prints a rule's documentation, its category, how to suppress it
// and where to read more.
func RuleDoc(w io.Writer, r all.Rule) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\ncategory: %s\nsuppress: %s %s <reason>\n", r.Analyzer.Doc, r.Category, lint.IgnorePrefix, r.Analyzer.Name)
	if r.Analyzer.URL != "" {
		fmt.Fprintf(&b, "more:     %s\n", r.Analyzer.URL)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write rule %s: %w", r.Analyzer.Name, err)
	}
	return nil
}

// ruleTitle is the first line of a rule's Doc without the "name: " prefix.
func ruleTitle(name, doc string) string {
	title, _, _ := strings.Cut(doc, "\n")
	return strings.TrimPrefix(title, name+": ")
}

// LintSARIF writes the result as a SARIF 2.1.0 log (see WriteSARIF):
// every rule run with its documentation, then the directive checker, one
// result per finding and malformed directive (locations relative to
// %SRCROOT%, the module root), package errors as notifications.
func LintSARIF(w io.Writer, res *lint.Result, rules []all.Rule) error {
	s := SARIF{Root: filepath.ToSlash(res.Root), Errors: res.PackageErrors, Invocation: true}
	addRule := func(name, doc, url, category string) {
		s.Rules = append(s.Rules, SARIFRule{
			ID:               name,
			Name:             name,
			ShortDescription: ruleTitle(name, doc),
			FullDescription:  firstParagraph(doc),
			Help:             doc,
			HelpURI:          url,
			Level:            "warning",
			Properties:       map[string]any{"category": category},
		})
	}
	for _, r := range rules {
		addRule(r.Analyzer.Name, r.Analyzer.Doc, r.Analyzer.URL, r.Category)
	}
	as := lint.Analyzers(nil)
	dirs := as[len(as)-1]
	addRule(dirs.Name, dirs.Doc, dirs.URL, "suppression")
	for _, f := range res.Findings {
		s.Results = append(s.Results, SARIFResult{
			Rule: f.Rule, Level: "warning", Message: f.Message,
			File: f.File, Line: f.Line, Column: f.Column, EndLine: f.EndLine, Function: f.Function,
			Properties: map[string]any{"category": f.Category, "recommendation": f.Recommendation},
		})
	}
	for _, d := range res.DirectiveErrors {
		s.Results = append(s.Results, SARIFResult{
			Rule: dirs.Name, Level: "warning", Message: d.Message,
			File: d.File, Line: d.Line, Column: d.Column,
		})
	}
	return WriteSARIF(w, s)
}

// firstParagraph is the paragraph of a rule's Doc after its title line.
func firstParagraph(doc string) string {
	_, body, _ := strings.Cut(doc, "\n\n")
	p, _, _ := strings.Cut(strings.TrimSpace(body), "\n\n")
	return strings.Join(strings.Fields(p), " ")
}
