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
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

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
	// CacheDir keeps each package's results between runs, keyed by
	// everything they depend on (cache.go); "" caches nothing.
	CacheDir string

	toolID string // replaces the executable's content hash in cache keys (tests)
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
	// TestDirs are the directories of the packages analyzed with their
	// _test.go files (where advisor lint --bench looks for benchmarks).
	TestDirs []string

	// Analyzed and Cached count the packages analyzed by this run and
	// those whose results came from Config.CacheDir.
	Analyzed, Cached int

	checked map[string]*packages.Package // file -> package its fixes were type-checked in (listed only, when Types is nil)
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
//
// Packages are analyzed one at a time (a few in parallel), each from its
// source with its dependencies' types from export data, so memory stays
// bounded however many packages match; with Config.CacheDir, a package
// whose inputs have not changed since an earlier run is not analyzed
// again (cache.go). A rule set that uses facts needs the syntax of every
// dependency and is run over the whole loaded graph at once instead.
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
	if loadMode(analyzers)&packages.NeedDeps != 0 {
		return runWhole(ctx, cfg, patterns, analyzers, category)
	}

	// Hash the executable (tens of megabytes) while go list runs.
	type idResult struct {
		id  string
		err error
	}
	toolID := make(chan idResult, 1)
	switch {
	case cfg.CacheDir == "":
		toolID <- idResult{}
	case cfg.toolID != "":
		toolID <- idResult{id: cfg.toolID}
	default:
		go func() {
			id, err := executableID()
			toolID <- idResult{id, err}
		}()
	}
	lcfg := &packages.Config{Context: ctx, Mode: listMode, Dir: cfg.Dir, Env: cfg.Env, Tests: cfg.Tests, BuildFlags: buildFlags(cfg)}
	pkgs, err := packages.Load(lcfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Root: root(pkgs, cfg.Dir)}
	roots, err := selectRoots(res, pkgs, patterns, func(p *packages.Package) bool { return len(p.CompiledGoFiles) > 0 }, false)
	if err != nil {
		return nil, err
	}

	var cache *resultCache
	var runID []byte
	// Without the executable's identity nothing can be cached safely; the
	// run goes on uncached (the cache only ever saves time).
	if tool := <-toolID; tool.err == nil && cfg.CacheDir != "" {
		cache = &resultCache{dir: cfg.CacheDir}
		runID = runKey(tool.id, cfg, res.Root)
	}
	units := make([]*unit, len(roots))
	loadErrs := make([]string, len(roots))
	hits := make([]bool, len(roots))
	ids := &exportIDs{m: make(map[string]string)}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, lp := range roots {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() != nil {
				return
			}
			src := readSources(lp)
			var key [32]byte
			cacheable := false
			if cache != nil {
				if key, cacheable = packageKey(runID, lp, src, ids); cacheable {
					if u, ok := cache.get(key); ok {
						units[i], hits[i] = u, true
						return
					}
				}
			}
			units[i], loadErrs[i] = analyzeOne(lp, src, analyzers, category, res.Root)
			if cacheable && loadErrs[i] == "" {
				cache.put(key, units[i])
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cache != nil {
		cache.trim(time.Now())
	}
	merge(res, roots, units, loadErrs, hits)
	return res, nil
}

func buildFlags(cfg Config) []string {
	if len(cfg.Tags) > 0 {
		return []string{"-tags=" + strings.Join(cfg.Tags, ",")}
	}
	return nil
}

// selectRoots picks the packages to analyze among those loaded, records
// their load errors (with withErrors: the whole load already type-checked
// them) and main directories in res, and fails when none is left or none
// has source to analyze.
func selectRoots(res *Result, pkgs []*packages.Package, patterns []string, hasSource func(*packages.Package) bool, withErrors bool) ([]*packages.Package, error) {
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
		if withErrors && len(p.Errors) > 0 {
			res.PackageErrors = append(res.PackageErrors, packageError(p, res.Root))
		}
		if hasSource(p) {
			loaded = true
		}
		if p.Name == "main" && len(p.GoFiles) > 0 && !slices.Contains(res.MainDirs, filepath.Dir(p.GoFiles[0])) {
			res.MainDirs = append(res.MainDirs, filepath.Dir(p.GoFiles[0]))
		}
		if i := slices.IndexFunc(p.GoFiles, func(f string) bool { return strings.HasSuffix(f, "_test.go") }); p.ForTest != "" && i >= 0 && !slices.Contains(res.TestDirs, filepath.Dir(p.GoFiles[i])) {
			res.TestDirs = append(res.TestDirs, filepath.Dir(p.GoFiles[i]))
		}
		roots = append(roots, p)
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("no packages matched %s", strings.Join(patterns, " "))
	}
	if !loaded {
		if !withErrors {
			// The errors are those of the listing: nothing was parsed.
			for _, p := range roots {
				if len(p.Errors) > 0 {
					res.PackageErrors = append(res.PackageErrors, packageError(p, res.Root))
				}
			}
		}
		return nil, fmt.Errorf("no packages to analyze: %s", strings.Join(res.PackageErrors, "; "))
	}
	return roots, nil
}

// analyzeOne type-checks the listed package lp and runs the analyzers on
// it. It returns the package's findings and, when it does not load or
// type-check, its one-line error (such a result is not cached).
func analyzeOne(lp *packages.Package, src source, analyzers []*analysis.Analyzer, category map[string]string, root string) (*unit, string) {
	hashes := &fileHashes{m: make(map[string][32]byte)}
	p := typeCheckSource(lp, src, hashes)
	errLine := ""
	if len(p.Errors) > 0 {
		errLine = packageError(p, root)
	}
	if len(p.Syntax) == 0 {
		return &unit{}, errLine
	}
	res := &Result{Root: root}
	graph, err := checker.Analyze(analyzers, []*packages.Package{p}, nil)
	if err != nil {
		res.PackageErrors = append(res.PackageErrors, fmt.Sprintf("%s: analyze: %v", p.PkgPath, err))
		return &unit{Errors: res.PackageErrors}, errLine
	}
	c := collector{res: res, category: category, hashes: hashes, names: make(map[*packages.Package]*funcNames), seen: make(map[string]bool)}
	c.collect(graph)
	c.checkFixes()
	c.finish()
	u := &unit{
		Findings: res.Findings, Hidden: res.Hidden, Fixes: res.Fixes, Errors: res.PackageErrors,
		Loops: res.Loops, DirectiveErrors: res.DirectiveErrors, DroppedFixes: res.DroppedFixes,
	}
	for f := range c.checked {
		u.Checked = append(u.Checked, f)
	}
	slices.Sort(u.Checked)
	return u, errLine
}

// merge joins the packages' units into res in the order of roots, as one
// collector over all packages would have: a finding reported by two
// packages (a file compiled into both) counts once.
func merge(res *Result, roots []*packages.Package, units []*unit, loadErrs []string, hits []bool) {
	c := collector{res: res, seen: make(map[string]bool), checked: make(map[string]*packages.Package)}
	problems := make(map[Problem]bool)
	for i, u := range units {
		if hits[i] {
			res.Cached++
		} else {
			res.Analyzed++
		}
		if loadErrs[i] != "" {
			res.PackageErrors = append(res.PackageErrors, loadErrs[i])
		}
		if u == nil {
			continue
		}
		res.PackageErrors = append(res.PackageErrors, u.Errors...)
		res.Loops = append(res.Loops, u.Loops...)
		res.DroppedFixes = append(res.DroppedFixes, u.DroppedFixes...)
		for _, d := range u.DirectiveErrors {
			if !problems[d] {
				problems[d] = true
				res.DirectiveErrors = append(res.DirectiveErrors, d)
			}
		}
		fixOf := make(map[int]Fix, len(u.Fixes))
		for _, fx := range u.Fixes {
			fixOf[fx.Finding] = fx
		}
		for j, f := range u.Findings {
			key := fmt.Sprintf("%s\x00%s:%d:%d\x00%s", f.Rule, f.File, f.Line, f.Column, f.Message)
			if c.seen[key] {
				continue
			}
			c.seen[key] = true
			c.fixes = append(c.fixes, pendingFix{finding: f, fix: fixOf[j], hidden: u.Hidden[j]})
		}
		for _, f := range u.Checked {
			c.checked[f] = roots[i]
		}
	}
	c.finish()
	res.DroppedFixes = slices.Compact(sortedCopy(res.DroppedFixes))
}

// runWhole is Run for rule sets that use facts: the whole graph is loaded
// with syntax and types and analyzed at once, without the result cache.
func runWhole(ctx context.Context, cfg Config, patterns []string, analyzers []*analysis.Analyzer, category map[string]string) (*Result, error) {
	hashes := &fileHashes{m: make(map[string][32]byte)}
	pcfg := &packages.Config{
		Context:    ctx,
		Mode:       loadMode(analyzers),
		Dir:        cfg.Dir,
		Env:        cfg.Env,
		Tests:      cfg.Tests,
		BuildFlags: buildFlags(cfg),
		Fset:       token.NewFileSet(),
		ParseFile: func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			hashes.put(filename, src)
			return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		},
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Root: root(pkgs, cfg.Dir)}
	roots, err := selectRoots(res, pkgs, patterns, func(p *packages.Package) bool { return len(p.Syntax) > 0 }, true)
	if err != nil {
		return nil, err
	}
	graph, err := checker.Analyze(analyzers, roots, nil)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := collector{res: res, category: category, hashes: hashes, names: make(map[*packages.Package]*funcNames), seen: make(map[string]bool)}
	c.collect(graph)
	c.checkFixes()
	c.finish()
	res.Analyzed = len(roots)
	return res, nil
}

// collect adds the diagnostics and loop verdicts of graph's root actions.
func (c *collector) collect(graph *checker.Graph) {
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
}

// loadMode is the go/packages mode the analyzers need: syntax and types of
// the named packages, and of all their dependencies only when some analyzer
// uses facts (the expensive part).
func loadMode(analyzers []*analysis.Analyzer) packages.LoadMode {
	mode := packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
		packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
		packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule | packages.NeedForTest
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
	if d.End.IsValid() {
		if end := fset.Position(d.End); end.Filename == posn.Filename && end.Line > posn.Line {
			f.EndLine = end.Line
		}
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
