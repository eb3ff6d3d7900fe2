// Package verify tests advisor's recommendations by measuring them: it
// finds the concrete rewrite of each recommendation (a rule's suggested
// fix or a template), builds it in an overlay, gates it on go vet and the
// package's tests, runs it against the original in interleaved rounds and
// records the verdict in the report; it A/B-tests a -pgo build too, and
// with --fix writes the verified winners.
package verify

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/profile/abtest"
	"github.com/advisor-dev/advisor/rules/lint"
)

// Defaults of --verify-budget and --verify-runs.
const (
	DefaultBudget = 3 * time.Minute
	DefaultRuns   = 10
)

// confirmBelow is the speedup under which a first significant result is
// measured again before it counts: a small gain on a noisy machine is the
// kind an unlucky session fakes, a large one is not.
const confirmBelow = 1.25

// Options is what verification needs from the profiling run.
type Options struct {
	ModuleDir   string       // root of the target's module
	Dir         string       // where the go command runs ("" is the current directory)
	Package     string       // the package as the user typed it (resolved in Dir)
	PackageDir  string       // its directory
	OwnPackages []string     // import paths of the module's packages that Package uses (for the rules' fixes when Lint is nil)
	Lint        *lint.Result // the rules' result of the analysis, if they ran (its fixes carry the files' contents)
	Args        []string     // the target's arguments
	WantExit    int          // the exit status of the profiled run, which every measured run must repeat
	CPUProfile  string       // the collected CPU profile, for the PGO build; "" if none
	Tags        string
	LDFlags     string
	Bench       string // with --bench: the benchmarks to compare instead of runs of the program
	Benchtime   string
	Budget      time.Duration
	Runs        int
	Fix         bool // write the verified winners (see Fix)
	DryRun      bool // with Fix: print the diff only
	Race        bool // whether go test -race works here
	// Progress receives progress lines; nil discards them.
	Progress func(string)
	// Diff receives --fix's diff and what it wrote; nil discards it.
	Diff io.Writer
	// Describe says a verdict in words for progress lines (the text
	// renderer's wording); nil uses a terse fallback.
	Describe func(*report.Verified) string
	// Shuffle permutes the order of each A/B round; nil means random.
	Shuffle func(int, func(int, int))
}

// Result is what verification did beyond the verdicts it records in the
// report.
type Result struct {
	// Interrupted reports that the caller's context ended (Ctrl-C) before
	// verification finished: the verdicts so far are in the report, and
	// nothing was written.
	Interrupted bool
	// Written lists the files --fix wrote (with DryRun: would write).
	Written []string
}

// errBudget is the cause of the budget's context ending, which tells a
// used-up --verify-budget from an interrupt.
var errBudget = errors.New("--verify-budget used up")

// candidate is one concrete rewrite for one recommendation.
type candidate struct {
	rec        int // index in Report.Recommendations
	what       string
	changes    []lint.Change
	concurrent bool
}

// tools are the go command and binary runs verification uses; tests
// replace them to decide what happens without building anything.
type tools struct {
	build, buildTest func(ctx context.Context, v abtest.Variant, name string) (string, error)
	vet              func(ctx context.Context, v abtest.Variant, pkgs ...string) error
	test             func(ctx context.Context, v abtest.Variant, race bool, pkgs ...string) (bool, error)
	ab               func(ctx context.Context, o abtest.BinariesOptions) (*abtest.BinariesResult, error)
	allocs           func(ctx context.Context, v abtest.Variant, args []string) (float64, error)
}

var realTools = tools{
	build: abtest.BuildVariant, buildTest: abtest.BuildTest, vet: abtest.Vet, test: abtest.Test,
	ab: abtest.Binaries, allocs: abtest.Allocs,
}

// verifier is one verification: its options, tools, and the report whose
// recommendations it measures.
type verifier struct {
	o   Options
	t   tools
	rep *report.Report
	ctx context.Context // ends with the budget or the caller's context
}

// Run verifies the concrete rewrites of rep's recommendations (and a PGO
// build), recording the measurements in rep; with o.Fix it then writes the
// verified winners. Problems with single rewrites are added to rep.Errors;
// the error is non-nil only when --fix could not write what it should
// (a file changed since the analysis, say), and nothing was written then.
func Run(ctx context.Context, rep *report.Report, o Options) (Result, error) {
	// Reordered after run: its candidates index rep.Recommendations.
	defer rankByVerdict(rep)
	return run(ctx, rep, o, nil, realTools)
}

func run(parent context.Context, rep *report.Report, o Options, extra []candidate, t tools) (Result, error) {
	if o.Progress == nil {
		o.Progress = func(string) {}
	}
	if o.Diff == nil {
		o.Diff = io.Discard
	}
	if o.Describe == nil {
		o.Describe = func(v *report.Verified) string {
			return fmt.Sprintf("%.2f× (p=%.3f, %d runs)", v.Speedup, v.P, v.Runs)
		}
	}
	o.Runs = max(o.Runs, 2) // a median needs two runs a side
	ctx, cancel := context.WithTimeoutCause(parent, o.Budget, errBudget)
	defer cancel()
	vr := &verifier{o: o, t: t, rep: rep, ctx: ctx}
	interrupted := func() bool { return parent.Err() != nil }
	start := time.Now()
	left := func() string { return (o.Budget - time.Since(start)).Round(time.Second).String() }

	work, err := os.MkdirTemp("", "advisor-verify-")
	if err != nil {
		vr.note("%v", err)
		return Result{}, nil
	}
	defer os.RemoveAll(work)

	cands := append(vr.candidates(), extra...)
	base := abtest.Variant{Dir: cmp.Or(o.Dir, "."), Package: o.Package, Tags: o.Tags, LDFlags: o.LDFlags, WorkDir: work}
	o.Progress(fmt.Sprintf("verify: building the original (%d rewrites to try, budget %s)", len(cands), o.Budget))
	orig, err := vr.build(base, "original")
	if err != nil {
		vr.note("building the original: %v", vr.stopErr(err))
		return Result{Interrupted: interrupted()}, nil
	}
	// One run up front: it checks the arguments work, warms the caches, and
	// tells whether the program's output is deterministic.
	ref, err := t.ab(ctx, vr.abOptions([]string{orig}, 1, "original"))
	if err == nil && !ref.Stopped && o.Bench != "" {
		_, _, _, err = benchstat.Totals(ref.Output[0])
	}
	if err != nil || ref.Stopped {
		vr.note("running the original: %v", vr.stopErr(err))
		return Result{Interrupted: interrupted()}, nil
	}

	type winner struct {
		c candidate
		v *report.Verified
	}
	var winners []winner
	origAllocs := -1.0
	for i, c := range cands {
		if ctx.Err() != nil {
			why := vr.stopReason()
			if why != "interrupted" {
				why = fmt.Sprintf("--verify-budget %s used up", o.Budget)
			}
			vr.note("%s; %d of %d rewrites not tried", why, len(cands)-i, len(cands))
			break
		}
		o.Progress(fmt.Sprintf("verify [%d/%d] %s (%s left)", i+1, len(cands), c.what, left()))
		v := vr.one(base, orig, ref.Output[0], &origAllocs, c)
		if v == nil {
			continue
		}
		o.Progress(fmt.Sprintf("verify %s: %s", c.what, o.Describe(v)))
		rep.Recommendations[c.rec].Verified = v
		if benchstat.Win(v) {
			winners = append(winners, winner{c, v})
		}
	}
	pgoWin := false
	if ctx.Err() == nil {
		pgoWin = vr.pgo(base, orig)
	} else if !interrupted() && slices.ContainsFunc(rep.Recommendations, func(r report.Recommendation) bool { return r.Kind == report.KindPGO }) {
		// The pgo recommendation stays an estimate: say why it was not measured.
		vr.note("PGO: not measured: --verify-budget %s used up", o.Budget)
	}
	if interrupted() {
		// Ctrl-C asks to stop, not to write what was measured so far.
		if o.Fix {
			vr.note("--fix: nothing written: interrupted")
		}
		return Result{Interrupted: true}, nil
	}
	if !o.Fix {
		return Result{}, nil
	}
	// Biggest verified win first; a later rewrite of a file already changed
	// is left out (its measurement assumed the original file).
	slices.SortStableFunc(winners, func(a, b winner) int { return cmp.Compare(b.v.Speedup, a.v.Speedup) })
	var changes []lint.Change
	taken := map[string]bool{}
	for _, w := range winners {
		if slices.ContainsFunc(w.c.changes, func(ch lint.Change) bool { return taken[ch.File] }) {
			vr.note("%s: not written, it changes a file that a bigger verified rewrite changes (run advisor --fix again)", w.c.what)
			continue
		}
		for _, ch := range w.c.changes {
			taken[ch.File] = true
			changes = append(changes, ch)
		}
	}
	// A refusal writes nothing at all, default.pgo included.
	if err := unchanged(changes); err != nil {
		vr.note("--fix: %v", err)
		return Result{}, err
	}
	var written []string
	if pgoWin {
		dst, err := writePGO(o.Diff, o.CPUProfile, o.PackageDir, o.DryRun)
		if err != nil {
			vr.note("--fix: %v", err)
			return Result{}, err
		}
		written = append(written, dst)
	}
	if len(changes) == 0 {
		o.Progress("verify: no verified rewrite to write")
		return Result{Written: written}, nil
	}
	files, err := Fix(o.Diff, changes, o.DryRun)
	written = append(written, files...)
	if err != nil {
		vr.note("--fix: %v", err)
		return Result{Written: written}, err
	}
	return Result{Written: written}, nil
}

// rankByVerdict orders the recommendations by what was measured, keeping
// the advice's order within each group: verified wins first, then those not
// measured, then those the measurement refuted (slower, no significant
// change, tests failing, too few runs). A rewrite measured as no better must
// not stay ranked above advice that is still only an estimate.
func rankByVerdict(rep *report.Report) {
	group := func(r report.Recommendation) int {
		switch {
		case r.Verified == nil:
			return 1
		case benchstat.JudgeVerified(r.Verified) == benchstat.VerdictFaster:
			return 0
		}
		return 2
	}
	slices.SortStableFunc(rep.Recommendations, func(a, b report.Recommendation) int { return cmp.Compare(group(a), group(b)) })
}

// note records a problem in the report's errors.
func (vr *verifier) note(format string, args ...any) {
	vr.rep.Errors = append(vr.rep.Errors, "verify: "+fmt.Sprintf(format, args...))
}

// stopReason says why verification's context ended: "--verify-budget
// used up", or "interrupted" when the caller's context ended (Ctrl-C must
// not read as a budget too small).
func (vr *verifier) stopReason() string {
	if errors.Is(context.Cause(vr.ctx), errBudget) {
		return errBudget.Error()
	}
	return "interrupted"
}

// stopErr is err, or when the context ended the reason it did (the error
// of a killed go command or binary only says "signal: killed").
func (vr *verifier) stopErr(err error) error {
	if vr.ctx.Err() != nil {
		return errors.New(vr.stopReason())
	}
	return cmp.Or(err, context.DeadlineExceeded)
}

// one builds, vets, tests and measures one candidate. It returns nil when
// the candidate could not be measured (the reason is noted). origAllocs
// caches the original's allocation count (negative: not yet counted).
func (vr *verifier) one(base abtest.Variant, orig string, refOut []byte, origAllocs *float64, c candidate) *report.Verified {
	ctx, o := vr.ctx, vr.o
	v := base
	v.Overlay = map[string][]byte{}
	var dirs []string // other packages the rewrite changes
	for _, ch := range c.changes {
		v.Overlay[ch.File] = ch.New
		if d := filepath.Dir(ch.File); d != o.PackageDir && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	bin, err := vr.build(v, "rewrite")
	if err != nil {
		if ctx.Err() != nil {
			vr.note("%s: %s while building", c.what, vr.stopReason())
			return nil
		}
		vr.note("%s: the rewritten package does not build, not applied: %v", c.what, err)
		return nil
	}
	tests, ok := vr.gate(c, v, base, dirs)
	if !ok {
		return nil
	}
	ab := vr.abOptions([]string{orig, bin}, o.Runs, c.what)
	sameOutput := func(got *abtest.BinariesResult) bool {
		if o.Bench != "" {
			return true // benchmark output has timings in it
		}
		// Only a program that printed the same twice (the reference run and
		// this one) is held to printing the same after the rewrite.
		if len(got.Seconds[0]) > 0 && bytes.Equal(got.Output[0], refOut) && !bytes.Equal(got.Output[0], got.Output[1]) {
			vr.note("%s: the rewritten program prints something else than the original, not applied", c.what)
			return false
		}
		return true
	}
	res, err := vr.measure(ab, tests, c.what, sameOutput)
	if err != nil {
		vr.note("%s: the rewritten program fails, not applied: %v", c.what, err)
		return nil
	}
	if res != nil && res.Tests != "fail" && ctx.Err() == nil && o.Bench == "" {
		// One profiled run of each side counts the allocations.
		o.Progress(fmt.Sprintf("verify %s: counting allocations", c.what))
		if *origAllocs < 0 {
			if n, err := vr.t.allocs(ctx, base, o.Args); err == nil {
				*origAllocs = n
			}
		}
		if n, err := vr.t.allocs(ctx, v, o.Args); err == nil && *origAllocs >= 0 {
			res.AllocsBefore, res.AllocsAfter = ptr(*origAllocs), ptr(n)
		}
	}
	return res
}

// gate runs go vet and the tests on the rewrite v and returns the tests'
// verdict ("pass", "fail" or "none"); ok is false when the rewrite must
// not be measured (vet fails, or the context ended).
func (vr *verifier) gate(c candidate, v, base abtest.Variant, dirs []string) (tests string, ok bool) {
	ctx := vr.ctx
	if err := vr.t.vet(ctx, v, dirs...); err != nil {
		if ctx.Err() != nil {
			vr.note("%s: %s while vetting", c.what, vr.stopReason())
			return "", false
		}
		vr.note("%s: go vet fails on the rewrite, not applied: %v", c.what, err)
		return "", false
	}
	race := c.concurrent && vr.o.Race
	if c.concurrent && !vr.o.Race {
		vr.note("%s: the race detector is not available (it needs cgo); tests ran without -race", c.what)
	}
	ran, err := vr.t.test(ctx, v, race, dirs...)
	if err != nil && ctx.Err() == nil {
		// Tests that fail without the rewrite too say nothing about it.
		if _, oerr := vr.t.test(ctx, base, race, dirs...); oerr != nil && ctx.Err() == nil {
			vr.note("%s: the package's tests fail without the rewrite too, so they were not used: %v", c.what, oerr)
			ran, err = false, nil
		}
	}
	if ctx.Err() != nil {
		vr.note("%s: %s while testing", c.what, vr.stopReason())
		return "", false
	}
	switch {
	case err != nil:
		// Still measured (once), so that the verdict carries real numbers;
		// a failing rewrite is never a win.
		vr.note("%s: %v", c.what, err)
		return "fail", true
	case ran:
		return "pass", true
	}
	return "none", true
}

func ptr(f float64) *float64 { return &f }

// build builds the program, or with --bench its test binary.
func (vr *verifier) build(v abtest.Variant, name string) (string, error) {
	if vr.o.Bench != "" {
		return vr.t.buildTest(vr.ctx, v, name)
	}
	return vr.t.build(vr.ctx, v, name)
}

// abOptions runs binaries with the target's arguments, or with --bench
// their benchmarks (once per run, in the package directory as go test does).
func (vr *verifier) abOptions(binaries []string, rounds int, what string) abtest.BinariesOptions {
	o := abtest.BinariesOptions{
		Binaries: binaries, Args: vr.o.Args, Rounds: rounds, Shuffle: vr.o.Shuffle, WantExit: vr.o.WantExit,
		Progress: func(r, n int) { vr.o.Progress(fmt.Sprintf("verify %s: round %d/%d", what, r, n)) },
	}
	if vr.o.Bench != "" {
		o.Args = []string{"-test.run=^$", "-test.bench=" + vr.o.Bench, "-test.count=1", "-test.benchmem"}
		if vr.o.Benchtime != "" {
			o.Args = append(o.Args, "-test.benchtime="+vr.o.Benchtime)
		}
		o.Dir, o.KeepOutput = vr.o.PackageDir, true
	}
	return o
}
