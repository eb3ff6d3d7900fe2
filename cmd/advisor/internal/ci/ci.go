// Package ci is the procedure behind `advisor ci`: check out the base
// revision in a worktree, build and run both sides' benchmarks in
// interleaved rounds (profile/abtest), compare and gate them
// (analyze/benchstat), re-measure suspected regressions, and report head's
// new lint findings in code that head's benchmarks show to be hot. It also
// reads the "ci" section of .advisor.yaml. cmd/advisor parses the flags and
// renders the advisor-ci/v1 result.
package ci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/advisor-dev/advisor/analyze"
	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/profile"
	"github.com/advisor-dev/advisor/profile/abtest"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"

	pprof "github.com/google/pprof/profile"
)

// Params says what `advisor ci` compares and how.
type Params struct {
	// Base is a git revision to check out in a temporary worktree; BaseDir a
	// directory holding the base tree instead. Exactly one is set.
	Base, BaseDir string
	// HeadDir is the head tree, an absolute directory. HeadLabel names it
	// in the result when BaseDir is used (with Base, it is "working tree").
	HeadDir, HeadLabel string
	// Patterns are the package patterns (default ".").
	Patterns []string
	// Tags are build tags, comma-separated ("" for none).
	Tags string
	// Config holds the measurement settings and the gate.
	Config Config
	// CPUTime adds cpu-ns/op (abtest.Options.CPUTime).
	CPUTime bool
	// Lint reports new findings whose line or function has at least Hot of
	// head's benchmark CPU time.
	Lint bool
	Hot  float64
	// Progress, if non-nil, receives progress lines; Stderr receives
	// warnings about cleaning up (the result is already decided then).
	Progress, Stderr io.Writer
}

// Run benchmarks base and head, gates on regressions (confirming them with
// a second measurement when p.Config.Confirm), and adds head's new lint
// findings in hot code. Errors caused by the user's input are
// *profile.UserError.
func Run(ctx context.Context, p Params) (*report.CI, error) {
	work, err := os.MkdirTemp("", "advisor-ci-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	baseLabel, headLabel := p.BaseDir, p.HeadLabel
	var baseTree string
	if p.Base != "" {
		sub, cleanup, err := abtest.Worktree(ctx, p.HeadDir, p.Base, filepath.Join(work, "worktree"))
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := cleanup(); err != nil && p.Stderr != nil {
				fmt.Fprintf(p.Stderr, "advisor: ci: removing the base worktree: %v\n", err)
			}
		}()
		baseTree, baseLabel, headLabel = sub, p.Base, "working tree"
	} else {
		if baseTree, err = filepath.Abs(p.BaseDir); err != nil || !isDir(baseTree) {
			return nil, &profile.UserError{Msg: fmt.Sprintf("--base-dir %s is not a directory", p.BaseDir)}
		}
	}

	cfg := p.Config
	opts := abtest.Options{
		BaseDir: baseTree, HeadDir: p.HeadDir, Patterns: p.Patterns,
		Bench: cfg.Bench, Benchtime: cfg.Benchtime, Count: cfg.Count,
		WorkDir: work, CPUTime: p.CPUTime, Progress: p.Progress,
	}
	if p.Tags != "" {
		opts.BuildFlags = []string{"-tags=" + p.Tags}
	}
	pkgs, err := abtest.Build(ctx, opts)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, &profile.UserError{Msg: fmt.Sprintf("no benchmark in %s matches -bench %q", strings.Join(Patterns(p.Patterns), " "), cfg.Bench)}
	}
	measure := func(ctx context.Context, pkgs []abtest.Package, count int) ([]abtest.RunOutput, error) {
		o := opts
		o.Count = count
		return abtest.Run(ctx, pkgs, o)
	}
	cmp, gate, err := Decide(ctx, pkgs, measure, cfg, p.Progress)
	if err != nil {
		return nil, err
	}
	out := benchstat.NewCI(baseLabel, headLabel, cfg.Gate, cmp, gate)
	if p.Lint {
		findings, warn, err := hotFindings(ctx, pkgs, opts, baseTree, p.HeadDir, p.Hot)
		if err != nil {
			return nil, err
		}
		out.NewFindings = append(out.NewFindings, findings...)
		out.Errors = append(out.Errors, warn...)
	}
	return out, nil
}

// Measurer runs count interleaved rounds of the benchmarks of pkgs and
// returns the output of every run (abtest.Run, or synthetic outputs in
// tests).
type Measurer func(ctx context.Context, pkgs []abtest.Package, count int) ([]abtest.RunOutput, error)

// Decide measures cfg.Count rounds, compares and gates them, and — when
// cfg.Confirm — measures the packages with a suspected regression again in
// twice as many fresh rounds, at level benchstat.ConfirmAlpha: a regression
// must show twice to stand.
func Decide(ctx context.Context, pkgs []abtest.Package, measure Measurer, cfg Config, progress io.Writer) (*report.Comparison, *benchstat.GateResult, error) {
	cmp, gate, err := measureAndGate(ctx, pkgs, measure, cfg.Count, cfg)
	if err != nil {
		return nil, nil, err
	}
	n := gate.Count(report.StatusRegression)
	if n == 0 || !cfg.Confirm {
		return cmp, gate, nil
	}
	suspects := suspectPackages(cmp, gate)
	var again []abtest.Package
	for _, p := range pkgs {
		if suspects[p.ImportPath] {
			again = append(again, p)
		}
	}
	if progress != nil {
		fmt.Fprintf(progress, "advisor: confirming %s in %d package(s)\n", plural(n, "suspected regression"), len(again))
	}
	// Twice the rounds, at a stricter level: on a noisy machine a real
	// regression should still show, and a fluke has to repeat against more
	// evidence (see benchstat.ConfirmAlpha).
	confirm := cfg
	confirm.Gate.Alpha = benchstat.ConfirmAlpha(cfg.Gate.Alpha)
	// (With a large α, twice the rounds could not reach α/50 at all.)
	rounds := max(2*cfg.Count, benchstat.MinCount(confirm.Gate.Alpha))
	_, second, err := measureAndGate(ctx, again, measure, rounds, confirm)
	if err != nil {
		return nil, nil, fmt.Errorf("confirmation run: %w", err)
	}
	return cmp, benchstat.Confirm(gate, second), nil
}

// measureAndGate runs count rounds and compares and gates the results.
func measureAndGate(ctx context.Context, pkgs []abtest.Package, measure Measurer, count int, cfg Config) (*report.Comparison, *benchstat.GateResult, error) {
	outs, err := measure(ctx, pkgs, count)
	if err != nil {
		return nil, nil, err
	}
	var rs benchstat.Results
	parsed := 0
	for _, out := range outs {
		name := fmt.Sprintf("%s (%s, round %d)", out.ImportPath, out.Side, out.Round+1)
		err := rs.ParseRound(bytes.NewReader(out.Output), name, out.Side, out.Round)
		switch {
		case errors.Is(err, benchstat.ErrNoBenchmarks):
			// The -bench regexp matched nothing in this package.
		case err != nil:
			return nil, nil, fmt.Errorf("malformed benchmark output: %w", err)
		default:
			parsed++
		}
	}
	if parsed == 0 {
		return nil, nil, &profile.UserError{Msg: fmt.Sprintf("no benchmark matched -bench %q", cfg.Bench)}
	}
	cmp, err := benchstat.Compare(&rs, benchstat.Options{Base: abtest.Base, Head: abtest.Head, Alpha: cfg.Gate.Alpha})
	if err != nil {
		return nil, nil, err
	}
	gate, err := benchstat.Gate(cmp, cfg.Gate)
	if err != nil {
		return nil, nil, err
	}
	return cmp, gate, nil
}

// suspectPackages returns the import paths of packages with a regression.
func suspectPackages(cmp *report.Comparison, gate *benchstat.GateResult) map[string]bool {
	out := map[string]bool{}
	for _, v := range gate.Verdicts {
		if v.Status != report.StatusRegression {
			continue
		}
		if p := cmp.Tables[v.Table].Pkg(); p != "" {
			out[p] = true
		}
	}
	return out
}

// hotFindings lints base and head and returns head's new findings on lines
// that a CPU profile of head's benchmarks shows to be hot. Problems that
// only prevent this part (no samples) come back as warnings.
func hotFindings(ctx context.Context, pkgs []abtest.Package, opts abtest.Options, baseDir, headDir string, hot float64) ([]report.Finding, []string, error) {
	paths, err := abtest.Profile(ctx, pkgs, opts)
	if err != nil {
		return nil, nil, err
	}
	var profs []*pprof.Profile
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, nil, fmt.Errorf("reading CPU profile: %w", err)
		}
		prof, err := analyze.ParseCPUProfile(f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("reading CPU profile %s: %w", p, err)
		}
		profs = append(profs, prof)
	}
	var warn []string
	if len(profs) == 0 {
		warn = append(warn, "no CPU profile of head's benchmarks; new findings in hot code were not checked")
		return nil, warn, nil
	}
	patterns := Patterns(opts.Patterns)
	runLint := func(dir string) (*lint.Result, error) {
		cfg := lint.Config{Dir: dir, Patterns: patterns, Rules: all.Rules()}
		if len(opts.BuildFlags) > 0 {
			cfg.Tags = strings.Split(strings.TrimPrefix(opts.BuildFlags[0], "-tags="), ",")
		}
		return lint.Run(ctx, cfg)
	}
	headRes, err := runLint(headDir)
	if err != nil {
		return nil, nil, fmt.Errorf("linting head: %w", err)
	}
	baseRes, err := runLint(baseDir)
	if err != nil {
		return nil, nil, fmt.Errorf("linting base: %w", err)
	}
	h, err := NewHot(profs, headRes.Root)
	if err != nil {
		return nil, nil, err
	}
	var out []report.Finding
	for _, f := range NewFindings(baseRes.Findings, headRes.Findings) {
		share := h.Share(f)
		if share < hot {
			continue
		}
		f.HotShare = &share
		out = append(out, f)
	}
	for _, pe := range headRes.PackageErrors {
		warn = append(warn, "lint: "+pe)
	}
	return out, warn, nil
}

// Patterns returns p, or "." when it is empty (as go test does).
func Patterns(p []string) []string {
	if len(p) == 0 {
		return []string{"."}
	}
	return p
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
