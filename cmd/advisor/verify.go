package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"

	advprofile "github.com/advisor-dev/advisor/profile"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
	"github.com/advisor-dev/advisor/rules/rewrite"
)

// Verification defaults (flags --verify-budget and --verify-runs).
const (
	defaultVerifyBudget = 3 * time.Minute
	defaultVerifyRuns   = 10
	// confirmBelow is the speedup under which a first significant result is
	// measured again before it counts: a small gain on a noisy machine is
	// the kind an unlucky session fakes, a large one is not.
	confirmBelow = 1.25
)

// verifyConfig is what verification needs from the profiling run.
type verifyConfig struct {
	moduleDir   string       // root of the target's module
	dir         string       // where the go command runs ("" is the current directory)
	pkg         string       // the package as the user typed it (resolved in the current directory)
	pkgDir      string       // its directory
	ownPackages []string     // import paths of the module's packages that pkg uses (for the rules' fixes)
	lint        *lint.Result // the rules' result of the analysis, if they ran (its fixes carry the files' hashes)
	args        []string     // the target's arguments
	cpuProfile  string       // the collected CPU profile, for the PGO build; "" if none
	tags        string
	ldflags     string
	bench       string // with --bench: the benchmarks to compare instead of runs of the program
	benchtime   string
	budget      time.Duration
	runs        int
	fix, dryRun bool
	race        bool                      // whether go test -race works here
	progress    func(string)              // progress lines (may discard)
	diff        io.Writer                 // where --fix prints its diff
	shuffle     func(int, func(int, int)) // run order; nil means random
}

// candidate is one concrete rewrite for one recommendation.
type candidate struct {
	rec        int // index in Report.Recommendations
	what       string
	changes    []lint.Change
	concurrent bool
}

// verifyAndFix verifies the concrete rewrites of rep's recommendations
// (and a PGO build), recording the measurements in rep; with --fix it then
// writes the verified winners. Problems are added to rep.Errors.
func verifyAndFix(ctx context.Context, e *env, rep *report.Report, res *advprofile.Result, lr *lint.Result, pkg string, args []string, f *profileFlags, progress func(string)) {
	if pkg == "" || f.from != "" || f.cpuFile != "" || f.traceFile != "" {
		rep.Errors = append(rep.Errors, "verify: only a package run by advisor can be verified (not --from or --profile)")
		return
	}
	if f.verifyRuns < benchstat.VerifyMinRuns || f.verifyBudget <= 0 {
		rep.Errors = append(rep.Errors, fmt.Sprintf("verify: not run: --verify-runs must be at least %d (have %d) and --verify-budget positive (have %s)", benchstat.VerifyMinRuns, f.verifyRuns, f.verifyBudget))
		return
	}
	var own []string
	if lr == nil {
		// The rules did not run with the analysis, so verification runs
		// them itself and needs their packages (lintTarget already listed
		// them otherwise).
		var err error
		if own, err = ownPackages(ctx, pkg); err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("verify: %v", err))
			return
		}
	}
	diff := e.stdout
	if f.format != "text" || f.output != "" {
		diff = e.stderr
	}
	cfg := verifyConfig{
		moduleDir: res.ModuleDir, pkg: pkg, pkgDir: res.PackageDir, ownPackages: own, lint: lr, args: args, cpuProfile: res.CPUProfile,
		tags: f.tags, ldflags: f.ldflags, bench: f.bench, benchtime: f.benchtime, budget: f.verifyBudget, runs: f.verifyRuns,
		fix: f.fix || f.dryRun, dryRun: f.dryRun, race: advprofile.RaceSupported(ctx),
		progress: progress, diff: diff,
	}
	runVerify(ctx, rep, cfg, nil)
}

// runVerify verifies the candidates for rep (collected from the rules'
// fixes and the templates, plus extra) and the PGO build.
func runVerify(ctx context.Context, rep *report.Report, cfg verifyConfig, extra []candidate) {
	note := func(format string, args ...any) {
		rep.Errors = append(rep.Errors, "verify: "+fmt.Sprintf(format, args...))
	}
	cfg.runs = max(cfg.runs, 2) // a median needs two runs a side
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, cfg.budget)
	defer cancel()
	left := func() string { return (cfg.budget - time.Since(start)).Round(time.Second).String() }

	work, err := os.MkdirTemp("", "advisor-verify-")
	if err != nil {
		note("%v", err)
		return
	}
	defer os.RemoveAll(work)

	cands := append(collectCandidates(ctx, rep, cfg, note), extra...)
	base := advprofile.Variant{Dir: cmp.Or(cfg.dir, "."), Package: cfg.pkg, Tags: cfg.tags, LDFlags: cfg.ldflags, WorkDir: work}
	cfg.progress(fmt.Sprintf("verify: building the original (%d rewrites to try, budget %s)", len(cands), cfg.budget))
	orig, err := cfg.build(ctx, base, "original")
	if err != nil {
		note("building the original: %v", err)
		return
	}
	// One run up front: it checks the arguments work, warms the caches, and
	// tells whether the program's output is deterministic.
	ref, err := advprofile.ABBinaries(ctx, cfg.abOptions([]string{orig}, 1, "original"))
	if err == nil && !ref.Stopped && cfg.bench != "" {
		_, _, _, err = benchstat.Totals(ref.Output[0])
	}
	if err != nil || ref.Stopped {
		note("running the original: %v", cmp.Or(err, context.DeadlineExceeded))
		return
	}

	type winner struct {
		c candidate
		v *report.Verified
	}
	var winners []winner
	origAllocs := -1.0
	for i, c := range cands {
		if ctx.Err() != nil {
			note("--verify-budget %s used up; %d of %d rewrites not tried", cfg.budget, len(cands)-i, len(cands))
			break
		}
		cfg.progress(fmt.Sprintf("verify [%d/%d] %s (%s left)", i+1, len(cands), c.what, left()))
		v := verifyOne(ctx, cfg, base, orig, ref.Output[0], &origAllocs, c, note)
		if v == nil {
			continue
		}
		cfg.progress(fmt.Sprintf("verify %s: %s", c.what, verifiedText(v)))
		r := &rep.Recommendations[c.rec]
		r.Verified = v
		if benchstat.Win(v) {
			winners = append(winners, winner{c, v})
		}
	}
	pgoWin := false
	if ctx.Err() == nil {
		pgoWin = verifyPGO(ctx, rep, cfg, base, orig, note)
	}
	if !cfg.fix {
		return
	}
	if pgoWin {
		if err := writePGO(cfg); err != nil {
			note("--fix: %v", err)
		}
	}
	// Biggest verified win first; a later rewrite of a file already changed
	// is left out (its measurement assumed the original file).
	slices.SortStableFunc(winners, func(a, b winner) int { return cmp.Compare(b.v.Speedup, a.v.Speedup) })
	var changes []lint.Change
	taken := map[string]bool{}
	for _, w := range winners {
		if slices.ContainsFunc(w.c.changes, func(ch lint.Change) bool { return taken[ch.File] }) {
			note("%s: not written, it changes a file that a bigger verified rewrite changes (run advisor --fix again)", w.c.what)
			continue
		}
		for _, ch := range w.c.changes {
			taken[ch.File] = true
			changes = append(changes, ch)
		}
	}
	if err := writeFixes(cfg, changes); err != nil {
		note("--fix: %v", err)
	}
}

// verifyOne builds, vets, tests and measures one candidate. It returns nil
// when the candidate could not be measured (the reason is noted).
// origAllocs caches the original's allocation count (negative: not yet
// counted).
func verifyOne(ctx context.Context, cfg verifyConfig, base advprofile.Variant, orig string, refOut []byte, origAllocs *float64, c candidate, note func(string, ...any)) *report.Verified {
	v := base
	v.Overlay = map[string][]byte{}
	var dirs []string // other packages the rewrite changes
	for _, ch := range c.changes {
		v.Overlay[ch.File] = ch.New
		if d := filepath.Dir(ch.File); d != cfg.pkgDir && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	bin, err := cfg.build(ctx, v, "rewrite")
	if err != nil {
		note("%s: the rewritten package does not build, not applied: %v", c.what, err)
		return nil
	}
	if err := advprofile.VetVariant(ctx, v, dirs...); err != nil {
		note("%s: go vet fails on the rewrite, not applied: %v", c.what, err)
		return nil
	}
	race := c.concurrent && cfg.race
	if c.concurrent && !cfg.race {
		note("%s: the race detector is not available (it needs cgo); tests ran without -race", c.what)
	}
	ran, err := advprofile.TestVariant(ctx, v, race, dirs...)
	if err != nil && ctx.Err() == nil {
		// Tests that fail without the rewrite too say nothing about it.
		if _, oerr := advprofile.TestVariant(ctx, base, race, dirs...); oerr != nil && ctx.Err() == nil {
			note("%s: the package's tests fail without the rewrite too, so they were not used: %v", c.what, oerr)
			ran, err = false, nil
		}
	}
	if ctx.Err() != nil {
		note("%s: --verify-budget used up while testing", c.what)
		return nil
	}
	if err != nil {
		// Still measured (once), so that the verdict carries real numbers;
		// a failing rewrite is never a win.
		note("%s: %v", c.what, err)
	}
	tests := "none"
	switch {
	case err != nil:
		tests = "fail"
	case ran:
		tests = "pass"
	}
	ab := cfg.abOptions([]string{orig, bin}, cfg.runs, c.what)
	sameOutput := func(got *advprofile.ABBinariesResult) bool {
		if cfg.bench != "" {
			return true // benchmark output has timings in it
		}
		// Only a program that printed the same twice (the reference run and
		// this one) is held to printing the same after the rewrite.
		if len(got.Seconds[0]) > 0 && bytes.Equal(got.Output[0], refOut) && !bytes.Equal(got.Output[0], got.Output[1]) {
			note("%s: the rewritten program prints something else than the original, not applied", c.what)
			return false
		}
		return true
	}
	res, err := measure(ctx, cfg, ab, tests, c.what, sameOutput, note)
	if err != nil {
		note("%s: the rewritten program fails, not applied: %v", c.what, err)
		return nil
	}
	if res != nil && res.Tests != "fail" && ctx.Err() == nil && cfg.bench == "" {
		// One profiled run of each side counts the allocations.
		cfg.progress(fmt.Sprintf("verify %s: counting allocations", c.what))
		if *origAllocs < 0 {
			if n, err := advprofile.AllocsOf(ctx, base, cfg.args); err == nil {
				*origAllocs = n
			}
		}
		if n, err := advprofile.AllocsOf(ctx, v, cfg.args); err == nil && *origAllocs >= 0 {
			res.AllocsBefore, res.AllocsAfter = ptr(*origAllocs), ptr(n)
		}
	}
	return res
}

func ptr(f float64) *float64 { return &f }

// build builds the program, or with --bench its test binary.
func (cfg *verifyConfig) build(ctx context.Context, v advprofile.Variant, name string) (string, error) {
	if cfg.bench != "" {
		return advprofile.BuildTestVariant(ctx, v, name)
	}
	return advprofile.BuildVariant(ctx, v, name)
}

// abOptions runs binaries with the target's arguments, or with --bench
// their benchmarks (once per run, in the package directory as go test does).
func (cfg *verifyConfig) abOptions(binaries []string, rounds int, what string) advprofile.ABBinariesOptions {
	o := advprofile.ABBinariesOptions{
		Binaries: binaries, Args: cfg.args, Rounds: rounds, Shuffle: cfg.shuffle,
		Progress: func(r, n int) { cfg.progress(fmt.Sprintf("verify %s: round %d/%d", what, r, n)) },
	}
	if cfg.bench != "" {
		o.Args = []string{"-test.run=^$", "-test.bench=" + cfg.bench, "-test.count=1", "-test.benchmem"}
		if cfg.benchtime != "" {
			o.Args = append(o.Args, "-test.benchtime="+cfg.benchtime)
		}
		o.Dir, o.KeepOutput = cfg.pkgDir, true
	}
	return o
}

// samples returns the measurements of one A/B session: wall seconds per
// run, or with --bench the summed ns/op of each run (collecting allocs/op).
func (cfg *verifyConfig) samples(got *advprofile.ABBinariesResult, allocs *[2][]float64) (before, after []float64, err error) {
	if cfg.bench == "" {
		return got.Seconds[0], got.Seconds[1], nil
	}
	var sides [2][]float64
	for side := range 2 {
		for _, out := range got.Outputs[side] {
			ns, a, hasAllocs, err := benchstat.Totals(out)
			if err != nil {
				return nil, nil, err
			}
			sides[side] = append(sides[side], ns)
			if hasAllocs {
				allocs[side] = append(allocs[side], a)
			}
		}
	}
	return sides[0], sides[1], nil
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// maxSessions bounds how often an inconclusive measurement is extended.
const maxSessions = 3

// measure runs sessions of interleaved A/B rounds of ab.Binaries[0] (the
// original) and ab.Binaries[1] and compares them. A promising but
// inconclusive result (p < 0.2 with a gain) is extended by more sessions,
// pooled, up to maxSessions; a small win must then be confirmed by an
// independent session pointing the same way (p < 0.2) before it counts.
// In simulation (shared drift plus heavy-tailed noise up to 30%), no A/A
// comparison out of 9000 was a win, and a 5% gain under 2% noise was
// found 99.9% of the time. check vets the first session (nil: none); when
// it fails, the result's tests are "fail" and nothing more is measured. A
// rewrite whose tests fail is measured once. The result is nil when the
// budget ran out before two runs of each side.
func measure(ctx context.Context, cfg verifyConfig, ab advprofile.ABBinariesOptions, tests, what string, check func(*advprofile.ABBinariesResult) bool, note func(string, ...any)) (*report.Verified, error) {
	var allocs [2][]float64 // allocs/op of each run of each side, from benchmarks
	first := true
	session := func() (before, after []float64, stopped, failed bool, err error) {
		got, err := advprofile.ABBinaries(ctx, ab)
		if err != nil {
			return nil, nil, false, false, err
		}
		failed = first && check != nil && !check(got)
		first = false
		before, after, err = cfg.samples(got, &allocs)
		return before, after, got.Stopped, failed, err
	}
	v, err := decide(session, tests, what, cfg.progress, note)
	if v != nil && len(allocs[0]) > 0 && len(allocs[1]) > 0 {
		v.AllocsBefore, v.AllocsAfter = ptr(mean(allocs[0])), ptr(mean(allocs[1]))
	}
	return v, err
}

// abSession runs one session of interleaved A/B rounds and returns the
// measurements of the original (before) and the rewrite (after), whether
// the budget stopped it early, and whether the rewrite failed a check.
type abSession func() (before, after []float64, stopped, failed bool, err error)

// decide runs sessions and turns them into a verdict (see measure).
func decide(session abSession, tests, what string, progress func(string), note func(string, ...any)) (*report.Verified, error) {
	var before, after []float64
	var res *report.Verified
	run := func() (stopped bool, err error) {
		b, a, stopped, failed, err := session()
		if err != nil {
			return false, err
		}
		if failed {
			tests = "fail"
		}
		before, after = append(before, b...), append(after, a...)
		return stopped, nil
	}
	for s := range maxSessions {
		stopped, err := run()
		if err != nil {
			return nil, err
		}
		if len(before) < 2 || len(after) < 2 {
			note("%s: --verify-budget used up before it could be measured", what)
			return nil, nil
		}
		if res, err = benchstat.CompareRuns(before, after, tests); err != nil {
			return nil, err
		}
		if stopped {
			note("%s: --verify-budget used up after %d runs", what, len(before))
			return res, nil
		}
		if benchstat.Win(res) || tests == "fail" || res.P >= 0.2 || res.Speedup < 1+benchstat.VerifyMinGain || s == maxSessions-1 {
			break
		}
		progress(fmt.Sprintf("verify %s: inconclusive after %d runs (%.2f×, p=%.2f), measuring more", what, len(before), res.Speedup, res.P))
	}
	if !benchstat.Win(res) || res.Speedup >= confirmBelow {
		return res, nil
	}
	progress(fmt.Sprintf("verify %s: %.2f× faster, measuring again to confirm", what, res.Speedup))
	n, m := len(before), len(after)
	stopped, err := run()
	if err != nil {
		return nil, err
	}
	if stopped || len(before)-n < 2 || len(after)-m < 2 {
		note("%s: --verify-budget used up before the gain could be confirmed; all %d runs pooled", what, len(before))
		return benchstat.CompareRuns(before, after, tests)
	}
	again, err := benchstat.CompareRuns(before[n:], after[m:], tests)
	if err != nil {
		return nil, err
	}
	// The independent session must point the same way (it need not be
	// significant on its own: that would cost most of the power to see
	// gains of a few percent); then all runs are pooled.
	if again.Speedup <= 1 || again.P >= 0.2 {
		return again, nil // it says what the first session got wrong
	}
	return benchstat.CompareRuns(before, after, tests)
}

// verifyPGO builds the target with the collected CPU profile and measures
// it against the default build; it reports whether PGO is a verified win.
func verifyPGO(ctx context.Context, rep *report.Report, cfg verifyConfig, base advprofile.Variant, orig string, note func(string, ...any)) bool {
	if cfg.cpuProfile == "" {
		return false
	}
	idx := slices.IndexFunc(rep.Recommendations, func(r report.Recommendation) bool { return r.Kind == report.KindPGO })
	cpuBound := rep.Summary != nil && rep.Summary.Class == report.ClassCPU
	if idx < 0 && !cpuBound {
		return false
	}
	if _, err := os.Stat(filepath.Join(cfg.pkgDir, "default.pgo")); cfg.pkgDir == "" || err == nil {
		return false // the default build already uses a profile (or we cannot tell)
	}
	v := base
	v.PGO = cfg.cpuProfile
	cfg.progress("verify: building with -pgo")
	bin, err := cfg.build(ctx, v, "pgo")
	if err != nil {
		note("PGO build: %v", err)
		return false
	}
	res, err := measure(ctx, cfg, cfg.abOptions([]string{orig, bin}, cfg.runs, "pgo"), "none", "pgo", nil, note)
	if err != nil || res == nil {
		if err != nil {
			note("PGO: %v", err)
		}
		return false
	}
	cfg.progress("verify pgo: " + verifiedText(res))
	sp := res.Speedup
	text := fmt.Sprintf("build with profile-guided optimization: copy the CPU profile to default.pgo in the main package and commit it (a -pgo build ran %.1f%% faster here).", (sp-1)*100)
	if idx >= 0 {
		rep.Recommendations[idx].Verified = res
		if benchstat.Win(res) {
			// The measurement replaces the "typical gains, unverified" estimate.
			rep.Recommendations[idx].Text = text
		}
		return benchstat.Win(res)
	}
	if !benchstat.Win(res) {
		return false
	}
	// A measured win replaces a "nothing worth doing": it was worth doing.
	rep.Recommendations = slices.DeleteFunc(rep.Recommendations, func(r report.Recommendation) bool { return r.Kind == report.KindNone })
	rep.Recommendations = append(rep.Recommendations, report.Recommendation{
		Kind:             report.KindPGO,
		Text:             text,
		EstimatedSpeedup: &sp,
		Verified:         res,
	})
	return true
}

// writePGO copies the CPU profile to default.pgo in the main package (or,
// with --dry-run, says it would), never replacing an existing file.
func writePGO(cfg verifyConfig) error {
	dst := filepath.Join(cfg.pkgDir, "default.pgo")
	if cfg.dryRun {
		fmt.Fprintf(cfg.diff, "would copy the CPU profile to %s\n", mustRel(dst))
		return nil
	}
	b, err := os.ReadFile(cfg.cpuProfile)
	if err != nil {
		return fmt.Errorf("default.pgo: %w", err)
	}
	tmp, err := os.CreateTemp(cfg.pkgDir, ".default.pgo-*")
	if err != nil {
		return fmt.Errorf("default.pgo: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(b)
	if err := cmp.Or(werr, tmp.Close()); err != nil {
		return fmt.Errorf("default.pgo: %w", err)
	}
	// A hard link appears atomically and fails if the name exists.
	if err := os.Link(tmp.Name(), dst); err != nil {
		return fmt.Errorf("default.pgo: %w", err)
	}
	fmt.Fprintf(cfg.diff, "wrote %s (commit it: go build uses it)\n", mustRel(dst))
	return nil
}

// writeFixes prints the diff of changes and, unless dry-run, writes them
// (each file atomically, refusing files changed since analysis).
func writeFixes(cfg verifyConfig, changes []lint.Change) error {
	if len(changes) == 0 {
		cfg.progress("verify: no verified rewrite to write")
		return nil
	}
	for _, ch := range changes {
		name := filepath.ToSlash(mustRel(ch.File))
		fmt.Fprint(cfg.diff, lint.UnifiedDiff("a/"+name, "b/"+name, ch.Old, ch.New))
	}
	if cfg.dryRun {
		return nil
	}
	return lint.Write(changes)
}

// collectCandidates finds the concrete rewrites of rep's recommendations:
// the rules' suggested fixes for the findings each cites, and the
// goroutines and workers templates.
func collectCandidates(ctx context.Context, rep *report.Report, cfg verifyConfig, note func(string, ...any)) []candidate {
	var fixes map[string][]lint.Fix // by "rule@file:line"
	var funcs map[string]string     // finding key → function
	loadFixes := func() {
		if fixes != nil {
			return
		}
		fixes, funcs = map[string][]lint.Fix{}, map[string]string{}
		lr := cfg.lint
		if lr == nil {
			// The rules did not run with the profile (--no-lint): run them now.
			var err error
			if lr, err = lint.Run(ctx, lint.Config{Dir: cfg.moduleDir, Patterns: cfg.ownPackages, Rules: all.Rules()}); err != nil {
				note("the rules' fixes are unavailable: %v", err)
				return
			}
		}
		for _, fx := range lr.Fixes {
			fd := lr.Findings[fx.Finding]
			key := fmt.Sprintf("%s@%s:%d", fd.Rule, fd.File, fd.Line)
			fixes[key] = append(fixes[key], fx)
			funcs[key] = fd.Function
		}
	}
	pkgs := map[string]*rewrite.Package{}
	load := func(file string) (*rewrite.Package, error) {
		dir := filepath.Dir(file)
		if p, ok := pkgs[dir]; ok {
			return p, nil
		}
		p, err := rewrite.Load(ctx, dir, ".")
		if err != nil {
			return nil, err
		}
		pkgs[dir] = p
		return p, nil
	}

	var cands []candidate
	for i, r := range rep.Recommendations {
		where := r.Function
		if r.File != "" {
			where = fmt.Sprintf("%s (%s:%d)", cmp.Or(r.Function, "loop"), r.File, r.Line)
		}
		what := r.Kind + " " + where
		switch r.Kind {
		case report.KindNone, report.KindPGO, report.KindProcesses:
			continue
		case report.KindGoroutines, report.KindWorkers:
			if r.File == "" || r.Line == 0 {
				continue
			}
			file := filepath.Join(cfg.moduleDir, filepath.FromSlash(r.File))
			p, err := load(file)
			if err != nil {
				note("%s: %v", what, err)
				continue
			}
			tmpl := rewrite.Goroutines
			if r.Kind == report.KindWorkers {
				tmpl = rewrite.Workers
			}
			rw, err := tmpl(p, file, r.Line)
			if err != nil {
				note("%s: %v", what, err)
				continue
			}
			cands = append(cands, candidate{rec: i, what: what, concurrent: rw.Concurrent,
				changes: []lint.Change{{File: rw.File, Old: rw.Old, New: rw.New, Applied: 1}}})
			continue
		}
		if len(r.Findings) == 0 {
			continue
		}
		loadFixes()
		var fxs []lint.Fix
		for _, key := range r.Findings {
			if r.Kind == report.KindCache && !pureFinding(key, funcs[key], cfg.moduleDir, load) {
				if len(fixes[key]) > 0 {
					note("%s: %s is not provably free of effects (it may write shared state or do I/O); not memoized", what, funcs[key])
				}
				continue
			}
			fxs = append(fxs, fixes[key]...)
		}
		if len(fxs) == 0 && r.Kind == report.KindBuilder {
			// No rule fix: the builder template at the first concatenation.
			if c, ok := builderCandidate(r, i, what, cfg.moduleDir, load, note); ok {
				cands = append(cands, c)
			}
			continue
		}
		if len(fxs) == 0 {
			continue
		}
		changes, _, err := lint.Changes(fxs)
		if err != nil {
			note("%s: %v", what, err)
			continue
		}
		if len(changes) > 0 {
			cands = append(cands, candidate{rec: i, what: what, changes: changes})
		}
	}
	return cands
}

// builderCandidate applies the builder template at the first finding of r
// (a string concatenation in a loop).
func builderCandidate(r report.Recommendation, rec int, what, moduleDir string, load func(string) (*rewrite.Package, error), note func(string, ...any)) (candidate, bool) {
	for _, key := range r.Findings {
		file, line, ok := findingPos(key)
		if !ok {
			continue
		}
		abs := filepath.Join(moduleDir, filepath.FromSlash(file))
		p, err := load(abs)
		if err != nil {
			note("%s: %v", what, err)
			return candidate{}, false
		}
		rw, err := rewrite.Builder(p, abs, line)
		if err != nil {
			note("%s: %v", what, err)
			return candidate{}, false
		}
		return candidate{rec: rec, what: what, changes: []lint.Change{{File: rw.File, Old: rw.Old, New: rw.New, Applied: 1}}}, true
	}
	return candidate{}, false
}

// findingPos splits a finding reference "rule@file:line".
func findingPos(key string) (file string, line int, ok bool) {
	at := strings.LastIndexByte(key, '@')
	colon := strings.LastIndexByte(key, ':')
	if at < 0 || colon < at {
		return "", 0, false
	}
	line, err := strconv.Atoi(key[colon+1:])
	return key[at+1 : colon], line, err == nil && line > 0
}

// pureFinding reports whether the function a finding is in (qualified as
// "pkg.name") has no effects but its result. Reading package state is
// fine: the memo of the rules' fix lives for one top-level call, during
// which that state cannot change (short of a data race).
func pureFinding(key, function, moduleDir string, load func(string) (*rewrite.Package, error)) bool {
	file, _, ok := findingPos(key)
	if !ok || function == "" {
		return false
	}
	p, err := load(filepath.Join(moduleDir, filepath.FromSlash(file)))
	if err != nil {
		return false
	}
	name := function[strings.LastIndexByte(function, '.')+1:]
	fn, ok := p.Types.Scope().Lookup(name).(*types.Func)
	return ok && rewrite.Pure(p, fn, false)
}

// mustRel returns path relative to the current directory when it is below
// it, else path.
func mustRel(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return path
	}
	return rel
}
