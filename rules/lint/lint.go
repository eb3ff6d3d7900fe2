// Package lint runs advisor's static rules over Go packages and turns their
// diagnostics into advisor/v1 findings. It is the library behind
// `advisor lint`, and it is reused by the profiling command (to lint the
// profiled target) and by `advisor ci`.
//
// Suppression directives (//advisor:ignore, package rules/internal/ignore)
// are honored; malformed directives are returned in Result.DirectiveErrors.
package lint

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/internal/ignore"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// Config says what to lint and with which rules.
type Config struct {
	Dir      string     // working directory of the go command; "" means the current one
	Patterns []string   // package patterns as for go vet; empty means "."
	Tests    bool       // also analyze _test.go files (as go vet does)
	Tags     []string   // build tags
	Env      []string   // environment of the go command; nil means the process's
	Rules    []all.Rule // the rules to run; must not be empty
}

// Result is the outcome of Run.
type Result struct {
	// Root is the directory finding paths are relative to: the main
	// module's root, or Config.Dir when there is no main module (std).
	// Files outside it keep their absolute (slash-separated) path.
	Root string
	// Findings, sorted by file, line, column and rule. HotShare is nil.
	Findings []report.Finding
	// Hidden is parallel to Findings: why a finding is likely of little
	// value without a profile (HiddenTest, ...), "" for the others. Run
	// leaves Finding.Hidden empty; Select decides what is shown.
	Hidden []string
	// Fixes are the suggested fixes of findings that have one.
	Fixes []Fix
	// PackageErrors has one line per package that failed to load or
	// type-check (those packages are not analyzed; the others are), and per
	// rule that failed on a package.
	PackageErrors []string
	// Loops are the dependence verdicts of every loop of the analyzed
	// packages, for concurrency advice.
	Loops []Loop
	// DirectiveErrors lists the malformed //advisor:ignore directives
	// (paths as in Findings), sorted.
	DirectiveErrors []Problem
	// DroppedFixes has one line per suggested fix that was not offered
	// because the package does not type-check with it (file:line:col:
	// rule: fix dropped: reason), sorted. The finding stays, without a fix.
	DroppedFixes []string
	// MainDirs are the directories of the main packages analyzed, where a
	// PGO user keeps default.pgo.
	MainDirs []string

	checked map[string]*packages.Package // file -> package its fixes were type-checked in
}

// Problem is a malformed suppression directive.
type Problem struct {
	File         string
	Line, Column int
	Message      string
}

// String formats p as file:line:col: message.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
}

// Fix is the first suggested fix of one finding.
type Fix struct {
	Finding int    // index in Result.Findings
	Message string // what the fix does
	Edits   []Edit
}

// Edit replaces the bytes [Start, End) of File by New.
type Edit struct {
	File       string   // absolute path
	Hash       [32]byte // SHA-256 of File's content as analyzed
	Start, End int
	New        []byte
}

// validKinds are the recommendation kinds a diagnostic's Category may name.
var validKinds = []string{
	report.KindCache, report.KindGoroutines, report.KindWorkers, report.KindProcesses,
	report.KindIterate, report.KindPrealloc, report.KindBuilder, report.KindHoist,
	report.KindReuse, report.KindLookupOnce, report.KindSet, report.KindStream,
	report.KindPGO, report.KindNone,
}

// Run loads the packages of cfg, runs the rules over them and returns the
// findings. Packages that do not load or type-check are reported in
// Result.PackageErrors and the others are still analyzed; an error is
// returned only when nothing could be analyzed (no package matched, bad
// pattern, no go command, ...).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if len(cfg.Rules) == 0 {
		return nil, errors.New("no rules selected")
	}
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	category := make(map[string]string, len(cfg.Rules))
	for _, r := range cfg.Rules {
		category[r.Analyzer.Name] = r.Category
	}
	analyzers := append(Analyzers(cfg.Rules), loopsAnalyzer)

	hashes := &fileHashes{m: make(map[string][32]byte)}
	pcfg := &packages.Config{
		Context: ctx,
		Mode:    loadMode(analyzers),
		Dir:     cfg.Dir,
		Env:     cfg.Env,
		Tests:   cfg.Tests,
		Fset:    token.NewFileSet(),
		ParseFile: func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			hashes.put(filename, src)
			return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		},
	}
	if len(cfg.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(cfg.Tags, ",")}
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Root: root(pkgs, cfg.Dir)}
	// With tests, a package is loaded twice: p and its test variant
	// "p [p.test]", which has all of p's files too. Analyze only the
	// variant, as go vet does.
	hasTestVariant := make(map[string]bool)
	for _, p := range pkgs {
		if p.ForTest != "" && p.ID == fmt.Sprintf("%s [%s.test]", p.PkgPath, p.PkgPath) {
			hasTestVariant[p.PkgPath] = true
		}
	}
	roots := pkgs[:0:0]
	loaded := false
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") || (p.ID == p.PkgPath && hasTestVariant[p.PkgPath]) {
			continue // the generated test main package, or a package analyzed as its test variant
		}
		if len(p.Errors) > 0 {
			res.PackageErrors = append(res.PackageErrors, packageError(p, res.Root))
		}
		if len(p.Syntax) > 0 {
			loaded = true
		}
		if p.Name == "main" && len(p.GoFiles) > 0 && !slices.Contains(res.MainDirs, filepath.Dir(p.GoFiles[0])) {
			res.MainDirs = append(res.MainDirs, filepath.Dir(p.GoFiles[0]))
		}
		roots = append(roots, p)
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("no packages matched %s", strings.Join(patterns, " "))
	}
	if !loaded {
		return nil, fmt.Errorf("no packages to analyze: %s", strings.Join(res.PackageErrors, "; "))
	}
	graph, err := checker.Analyze(analyzers, roots, nil)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	c := collector{res: res, category: category, hashes: hashes, names: make(map[*packages.Package]*funcNames), seen: make(map[string]bool)}
	for act := range graph.All() {
		if !act.IsRoot {
			continue
		}
		if act.Err != nil {
			// Ill-typed packages are already in PackageErrors.
			if !act.Package.IllTyped {
				c.errorf("%s: %s: %v", act.Package.PkgPath, act.Analyzer.Name, act.Err)
			}
			continue
		}
		if act.Analyzer == loopsAnalyzer {
			c.loopsOf(act.Package.Fset, act.Result.([]rawLoop))
			continue
		}
		for _, d := range act.Diagnostics {
			c.add(act, d)
		}
	}
	c.checkFixes()
	c.finish()
	return res, nil
}

// loadMode is the go/packages mode the analyzers need: syntax and types of
// the named packages, and of all their dependencies only when some analyzer
// uses facts (the expensive part).
func loadMode(analyzers []*analysis.Analyzer) packages.LoadMode {
	mode := packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
		packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
		packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule
	seen := make(map[*analysis.Analyzer]bool)
	var facts func([]*analysis.Analyzer) bool
	facts = func(as []*analysis.Analyzer) bool {
		for _, a := range as {
			if seen[a] {
				continue
			}
			seen[a] = true
			if len(a.FactTypes) > 0 || facts(a.Requires) {
				return true
			}
		}
		return false
	}
	if facts(analyzers) {
		mode |= packages.NeedDeps
	}
	return mode
}

// root picks the directory finding paths are relative to.
func root(pkgs []*packages.Package, dir string) string {
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Main && p.Module.Dir != "" {
			return p.Module.Dir
		}
	}
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Dir != "" {
			return p.Module.Dir
		}
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

// packageError is the one-line report of a package that did not load:
// its first parse or type error if any (they say the most), else its first
// error, with file names relative to root.
func packageError(p *packages.Package, root string) string {
	e := p.Errors[0]
	for _, x := range p.Errors {
		if x.Kind == packages.ParseError || x.Kind == packages.TypeError {
			e = x
			break
		}
	}
	msg := e.Msg
	if l, rest, ok := strings.Cut(msg, "\n"); ok && strings.HasPrefix(l, "# ") {
		msg = rest // the go command's "# pkg" header
	}
	msg, _, _ = strings.Cut(msg, "\n")
	if e.Pos != "" && e.Pos != "-" {
		msg = e.Pos + ": " + msg
	}
	if r := root + string(filepath.Separator); strings.HasPrefix(msg, r) {
		msg = filepath.ToSlash(msg[len(r):])
	}
	if p.PkgPath != "" && !strings.Contains(msg, p.PkgPath) {
		msg = p.PkgPath + ": " + msg
	}
	// Count errors of the same kind only: the go command repeats the type
	// checker's errors as a list error.
	n := -1
	for _, x := range p.Errors {
		if x.Kind == e.Kind {
			n++
		}
	}
	if n > 0 {
		msg += fmt.Sprintf(" (and %d more errors)", n)
	}
	return msg
}

// fileHashes records the SHA-256 of every file as the parser saw it, so
// that fixes are never applied to a file changed since.
type fileHashes struct {
	mu sync.Mutex
	m  map[string][32]byte
}

func (h *fileHashes) put(name string, src []byte) {
	sum := sha256.Sum256(src)
	h.mu.Lock()
	h.m[name] = sum
	h.mu.Unlock()
}

func (h *fileHashes) get(name string) ([32]byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	sum, ok := h.m[name]
	return sum, ok
}

// collector turns root diagnostics into the Result.
type collector struct {
	res      *Result
	category map[string]string // rule -> category
	hashes   *fileHashes
	names    map[*packages.Package]*funcNames
	seen     map[string]bool // dedup: a package and its test variant report the same things
	fixes    []pendingFix
	checked  map[string]*packages.Package
}

type pendingFix struct {
	finding report.Finding
	fix     Fix
	pkg     *packages.Package // the package the fix was type-checked in
	hidden  string            // why the finding is hidden by default
}

func (c *collector) errorf(format string, args ...any) {
	c.res.PackageErrors = append(c.res.PackageErrors, fmt.Sprintf(format, args...))
}

func (c *collector) add(act *checker.Action, d analysis.Diagnostic) {
	fset := act.Package.Fset
	posn := fset.Position(d.Pos)
	if !posn.IsValid() {
		return
	}
	file := c.rel(posn.Filename)
	rule := act.Analyzer.Name
	key := fmt.Sprintf("%s\x00%s:%d:%d\x00%s", rule, file, posn.Line, posn.Column, d.Message)
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	if rule == ignore.DirectivesName {
		c.res.DirectiveErrors = append(c.res.DirectiveErrors, Problem{file, posn.Line, posn.Column, d.Message})
		return
	}
	if !slices.Contains(validKinds, d.Category) {
		c.errorf("%s:%d:%d: rule %s reported %q without a valid recommendation kind (Category %q)", file, posn.Line, posn.Column, rule, d.Message, d.Category)
		return
	}
	names := c.names[act.Package]
	if names == nil {
		names = newFuncNames(fset, act.Package.PkgPath, act.Package.Name, act.Package.TypesInfo, act.Package.Syntax)
		c.names[act.Package] = names
	}
	f := report.Finding{
		Rule:           rule,
		Category:       c.category[rule],
		File:           file,
		Line:           posn.Line,
		Column:         posn.Column,
		Function:       names.at(fset, d.Pos),
		Message:        d.Message,
		Recommendation: d.Category,
	}
	p := pendingFix{finding: f, pkg: act.Package, hidden: hiddenReason(act.Package, d.Pos, rule, d.Message)}
	if len(d.SuggestedFixes) > 0 {
		if fix, ok := c.fix(fset, d.SuggestedFixes[0]); ok {
			p.fix = fix
		}
	}
	c.fixes = append(c.fixes, p)
}

// fix converts a suggested fix to byte-offset edits; ok is false when a file
// it edits was not parsed by this run (so its hash is unknown).
func (c *collector) fix(fset *token.FileSet, sf analysis.SuggestedFix) (Fix, bool) {
	fix := Fix{Message: sf.Message}
	for _, te := range sf.TextEdits {
		tf := fset.File(te.Pos)
		if tf == nil {
			return Fix{}, false
		}
		end := te.End
		if !end.IsValid() {
			end = te.Pos
		}
		hash, ok := c.hashes.get(tf.Name())
		if !ok {
			return Fix{}, false
		}
		fix.Edits = append(fix.Edits, Edit{
			File:  tf.Name(),
			Hash:  hash,
			Start: tf.Offset(te.Pos),
			End:   tf.Offset(end),
			New:   te.NewText,
		})
	}
	return fix, len(fix.Edits) > 0
}

// finish sorts the findings and attaches the fixes to their indices.
func (c *collector) finish() {
	slices.SortStableFunc(c.fixes, func(a, b pendingFix) int {
		x, y := a.finding, b.finding
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line),
			cmp.Compare(x.Column, y.Column), cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Message, y.Message))
	})
	c.res.checked = c.checked
	c.res.Findings = make([]report.Finding, len(c.fixes))
	c.res.Hidden = make([]string, len(c.fixes))
	for i, p := range c.fixes {
		c.res.Findings[i] = p.finding
		c.res.Hidden[i] = p.hidden
		if len(p.fix.Edits) > 0 {
			p.fix.Finding = i
			c.res.Fixes = append(c.res.Fixes, p.fix)
		}
	}
	slices.SortFunc(c.res.DirectiveErrors, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	c.res.PackageErrors = slices.Compact(sortedCopy(c.res.PackageErrors))
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// rel makes an absolute file name relative to the result's root, with
// forward slashes; files outside the root keep their absolute path.
func (c *collector) rel(name string) string {
	if r, err := filepath.Rel(c.res.Root, name); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(name)
}
