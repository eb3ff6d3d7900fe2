package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/advisor-dev/advisor/analyze"
	"github.com/advisor-dev/advisor/profile"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
	pprof "github.com/google/pprof/profile"
	"github.com/spf13/pflag"
)

const ciExamples = `  advisor ci --base origin/main ./...               # in a git checkout: base revision vs the working tree
  advisor ci --base-dir ../old --head-dir . ./...   # two trees
  advisor ci --base origin/main --format markdown ./... > comment.md
  advisor ci --base HEAD~1 --bench 'Parse' --count 20 --benchtime 200ms ./parser`

// ciGateFlags are the gate settings shared by ci and compare; a flag set on
// the command line overrides the config file.
type ciGateFlags struct {
	alpha                                *float64
	threshold, allocsThreshold, bytesThr *string
	config                               *string
	overrides                            *[]string
}

func ciAddGateFlags(fs *pflag.FlagSet) *ciGateFlags {
	return &ciGateFlags{
		alpha:           fs.Float64("alpha", 0.05, "a change is significant if p < `α`"),
		threshold:       fs.String("threshold", "5%", "slowdown that fails the gate (`percent`) for sec/op and custom units"),
		allocsThreshold: fs.String("allocs-threshold", "0%", "tolerated increase of allocs/op (`percent`)"),
		bytesThr:        fs.String("bytes-threshold", "1%", "tolerated increase of B/op (`percent`)"),
		config:          fs.String("config", "", "config `file` (default .advisor.yaml in the head directory, if present)"),
		overrides:       fs.StringArray("bench-threshold", nil, "`regexp=percent`: threshold for the benchmarks whose name matches (repeatable; before the config file's overrides)"),
	}
}

// load reads the config file (explicit, or .advisor.yaml in dir) and applies
// the flags the user set.
func (g *ciGateFlags) load(fs *pflag.FlagSet, dir string) (analyze.BenchCIConfig, error) {
	cfg := analyze.DefaultBenchCIConfig()
	path := *g.config
	if path == "" {
		if p := filepath.Join(dir, ".advisor.yaml"); ciExists(p) {
			path = p
		}
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("reading config: %w", err)
		}
		if cfg, err = analyze.ParseBenchCIConfig(data, path); err != nil {
			return cfg, err
		}
	}
	if fs.Changed("alpha") {
		if !(*g.alpha > 0 && *g.alpha < 1) {
			return cfg, fmt.Errorf("--alpha must be in (0, 1), got %v", *g.alpha)
		}
		cfg.Gate.Alpha = *g.alpha
	}
	for _, p := range []struct {
		name string
		val  *string
		dst  *float64
	}{
		{"threshold", g.threshold, &cfg.Gate.Threshold},
		{"allocs-threshold", g.allocsThreshold, &cfg.Gate.AllocsThreshold},
		{"bytes-threshold", g.bytesThr, &cfg.Gate.BytesThreshold},
	} {
		if !fs.Changed(p.name) {
			continue
		}
		f, err := analyze.ParseBenchPercent(*p.val)
		if err != nil {
			return cfg, fmt.Errorf("--%s: %w", p.name, err)
		}
		*p.dst = f
	}
	var overrides []analyze.BenchOverride
	for _, o := range *g.overrides {
		i := strings.LastIndex(o, "=")
		if i < 0 {
			return cfg, fmt.Errorf("--bench-threshold %q: want regexp=percent, e.g. '^Parse/=10%%'", o)
		}
		re, err := regexp.Compile(o[:i])
		if err != nil {
			return cfg, fmt.Errorf("--bench-threshold %q: %w", o, err)
		}
		f, err := analyze.ParseBenchPercent(o[i+1:])
		if err != nil {
			return cfg, fmt.Errorf("--bench-threshold %q: %w", o, err)
		}
		overrides = append(overrides, analyze.BenchOverride{Match: re, Threshold: &f})
	}
	cfg.Gate.Overrides = append(overrides, cfg.Gate.Overrides...)
	return cfg, nil
}

func ciExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// runCI benchmarks base and head, gates on regressions, and reports new lint
// findings on lines that head's benchmarks show to be hot.
func runCI(ctx context.Context, e *env, args []string) int {
	fs := pflag.NewFlagSet("ci", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	base := fs.String("base", "", "git `revision` to compare against (checked out in a temporary worktree)")
	baseDir := fs.String("base-dir", "", "base source `dir` (instead of --base)")
	headDir := fs.String("head-dir", ".", "head source `dir`")
	bench := fs.String("bench", "", "run benchmarks matching `regexp` (default from config, else .)")
	count := fs.Int("count", 0, "rounds: runs per side, interleaved (default from config, else 10)")
	benchtime := fs.String("benchtime", "", "-benchtime of each run (default from config, else 100ms)")
	tags := fs.String("tags", "", "comma-separated build `tags`")
	noConfirm := fs.Bool("no-confirm", false, "fail on the first measurement, without re-measuring suspected regressions")
	noCPU := fs.Bool("no-cpu-time", false, "do not measure cpu-ns/op (CPU time per iteration, robust to a busy machine); run each package's benchmarks in one process")
	noLint := fs.Bool("no-lint", false, "do not report new lint findings in hot code")
	hotShare := fs.String("hot", "1%", "a finding is in hot code when its line or function has at least this CPU `share` in head's benchmarks")
	g := ciAddGateFlags(fs)
	format := fs.String("format", "text", "output `format`: "+strings.Join(ciFormats, ", "))
	output := fs.StringP("output", "o", "", "write the result to `file` instead of stdout")
	progress := fs.Bool("progress", false, "print progress to stderr (default: only on a terminal)")
	fs.Usage = func() {
		printGroupedUsage(e.stdout, fs, "advisor ci [flags] [packages]", []flagGroup{
			{"What to compare", []string{"base", "base-dir", "head-dir", "bench", "tags"}},
			{"Measurement", []string{"count", "benchtime", "no-confirm", "no-cpu-time"}},
			{"Gate", []string{"alpha", "threshold", "allocs-threshold", "bytes-threshold", "bench-threshold", "config", "no-lint", "hot"}},
			{"Output", []string{"format", "output", "progress"}},
		}, ciExamples)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return errorf(e, "ci: %v (see advisor ci -h)", err)
	}
	if (*base == "") == (*baseDir == "") {
		return errorf(e, "ci: give exactly one of --base REV (a git revision) or --base-dir DIR (see advisor ci -h)")
	}
	if !ciValidFormat(*format) {
		return errorf(e, "ci: unknown --format %q (want one of %s)", *format, strings.Join(ciFormats, ", "))
	}
	hot, err := analyze.ParseBenchPercent(*hotShare)
	if err != nil {
		return errorf(e, "ci: --hot: %v", err)
	}
	head, err := filepath.Abs(*headDir)
	if err != nil || !ciIsDir(head) {
		return errorf(e, "ci: --head-dir %s is not a directory", *headDir)
	}
	cfg, err := g.load(fs, head)
	if err != nil {
		return errorf(e, "ci: %v", err)
	}
	if fs.Changed("bench") {
		cfg.Bench = *bench
	}
	if fs.Changed("count") {
		cfg.Count = *count
	}
	if fs.Changed("benchtime") {
		if err := analyze.CheckBenchtime(*benchtime); err != nil {
			return errorf(e, "ci: --benchtime: %v", err)
		}
		cfg.Benchtime = *benchtime
	}
	if *noConfirm {
		cfg.Confirm = false
	}
	if need := analyze.BenchMinCount(cfg.Gate.Alpha); cfg.Count < need {
		return errorf(e, "ci: --count %d is too small: %d runs per side can never reach p < %v; use --count %d or more", cfg.Count, cfg.Count, cfg.Gate.Alpha, need)
	}

	work, err := os.MkdirTemp("", "advisor-ci-")
	if err != nil {
		return errorf(e, "ci: %v", err)
	}
	defer os.RemoveAll(work)

	baseLabel, headLabel := *baseDir, *headDir
	baseTree := ""
	if *base != "" {
		sub, cleanup, err := profile.ABWorktree(ctx, head, *base, filepath.Join(work, "worktree"))
		if err != nil {
			return errorf(e, "ci: %v", err)
		}
		defer func() {
			if err := cleanup(); err != nil {
				fmt.Fprintf(e.stderr, "advisor: ci: removing the base worktree: %v\n", err)
			}
		}()
		baseTree, baseLabel, headLabel = sub, *base, "working tree"
	} else {
		if baseTree, err = filepath.Abs(*baseDir); err != nil || !ciIsDir(baseTree) {
			return errorf(e, "ci: --base-dir %s is not a directory", *baseDir)
		}
	}

	opts := profile.ABOptions{
		BaseDir: baseTree, HeadDir: head, Patterns: fs.Args(),
		Bench: cfg.Bench, Benchtime: cfg.Benchtime, Count: cfg.Count,
		WorkDir: work, CPUTime: !*noCPU,
	}
	if *tags != "" {
		opts.BuildFlags = []string{"-tags=" + *tags}
	}
	if *progress || e.stderrTTY {
		opts.Progress = e.stderr
	}
	pkgs, err := profile.ABBuild(ctx, opts)
	if err != nil {
		return ciFail(e, err)
	}
	if len(pkgs) == 0 {
		return errorf(e, "ci: no benchmark in %s matches -bench %q", strings.Join(ciPatterns(fs.Args()), " "), cfg.Bench)
	}
	cmp, gate, err := ciMeasure(ctx, pkgs, opts, cfg)
	if err != nil {
		return ciFail(e, err)
	}
	if n := gate.Count(analyze.BenchRegression); n > 0 && cfg.Confirm {
		// Re-measure only the packages with a suspected regression, in fresh
		// rounds: a regression must show twice to fail the build.
		suspects := ciSuspectPackages(cmp, gate)
		var again []profile.ABPackage
		for _, p := range pkgs {
			if suspects[p.ImportPath] {
				again = append(again, p)
			}
		}
		if opts.Progress != nil {
			fmt.Fprintf(e.stderr, "advisor: confirming %s in %d package(s)\n", ciPlural(n, "suspected regression"), len(again))
		}
		// Twice the rounds: on a noisy machine a real regression should
		// still show, and a fluke has to repeat against more evidence.
		confirmOpts := opts
		confirmOpts.Count = 2 * opts.Count
		_, second, err := ciMeasure(ctx, again, confirmOpts, cfg)
		if err != nil {
			return ciFail(e, fmt.Errorf("confirmation run: %w", err))
		}
		gate = analyze.ConfirmBench(gate, second)
	}
	o := &ciOutcome{Base: baseLabel, Head: headLabel, Alpha: cfg.Gate.Alpha, Threshold: cfg.Gate.Threshold,
		Comparison: cmp, Verdicts: gate.Verdicts, Regressions: gate.Count(analyze.BenchRegression)}
	if !*noLint {
		findings, warn, err := ciHotFindings(ctx, pkgs, opts, baseTree, head, hot)
		if err != nil {
			return ciFail(e, err)
		}
		o.NewFindings = findings
		o.Errors = append(o.Errors, warn...)
	}
	return ciFinish(e, o, *format, *output, "ci")
}

// ciMeasure runs the interleaved rounds and compares and gates the results.
func ciMeasure(ctx context.Context, pkgs []profile.ABPackage, opts profile.ABOptions, cfg analyze.BenchCIConfig) (*analyze.BenchComparison, *analyze.BenchGateResult, error) {
	outs, err := profile.ABRun(ctx, pkgs, opts)
	if err != nil {
		return nil, nil, err
	}
	var rs analyze.BenchResults
	parsed := 0
	for _, out := range outs {
		name := fmt.Sprintf("%s (%s, round %d)", out.ImportPath, out.Side, out.Round+1)
		err := rs.ParseBenchRound(bytes.NewReader(out.Output), name, out.Side, out.Round)
		switch {
		case errors.Is(err, analyze.ErrNoBenchmarks):
			// The -bench regexp matched nothing in this package.
		case err != nil:
			return nil, nil, fmt.Errorf("malformed benchmark output: %w", err)
		default:
			parsed++
		}
	}
	if parsed == 0 {
		return nil, nil, &profile.UserError{Msg: fmt.Sprintf("no benchmark matched -bench %q", opts.Bench)}
	}
	cmp, err := analyze.CompareBench(&rs, analyze.BenchOptions{Base: profile.ABBase, Head: profile.ABHead, Alpha: cfg.Gate.Alpha})
	if err != nil {
		return nil, nil, err
	}
	gate, err := analyze.GateBench(cmp, cfg.Gate)
	if err != nil {
		return nil, nil, err
	}
	return cmp, gate, nil
}

// ciSuspectPackages returns the import paths of packages with a regression.
func ciSuspectPackages(cmp *analyze.BenchComparison, gate *analyze.BenchGateResult) map[string]bool {
	out := map[string]bool{}
	for _, v := range gate.Verdicts {
		if v.Status != analyze.BenchRegression {
			continue
		}
		for _, c := range cmp.Tables[v.Table].Config {
			if p, ok := strings.CutPrefix(c, "pkg: "); ok {
				out[p] = true
			}
		}
	}
	return out
}

// ciHotFindings lints base and head and returns head's new findings on
// lines that a CPU profile of head's benchmarks shows to be hot. Problems
// that only prevent this part (no samples) come back as warnings.
func ciHotFindings(ctx context.Context, pkgs []profile.ABPackage, opts profile.ABOptions, baseDir, headDir string, hot float64) ([]report.Finding, []string, error) {
	paths, err := profile.ABProfile(ctx, pkgs, opts)
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
	patterns := ciPatterns(opts.Patterns)
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
	h := analyze.NewBenchHot(profs)
	var out []report.Finding
	for _, f := range analyze.NewBenchFindings(baseRes.Findings, headRes.Findings) {
		share := h.Share(f, headRes.Root)
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

func ciPatterns(p []string) []string {
	if len(p) == 0 {
		return []string{"."}
	}
	return p
}

func ciIsDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// ciFail prints err in one line (and a build's full output after it, so the
// compiler errors are visible in CI logs) and returns exitError.
func ciFail(e *env, err error) int {
	var ue *profile.UserError
	if errors.As(err, &ue) && ue.Output != "" && strings.Count(ue.Output, "\n") > 1 {
		fmt.Fprint(e.stderr, ue.Output)
		if !strings.HasSuffix(ue.Output, "\n") {
			fmt.Fprintln(e.stderr)
		}
	}
	return errorf(e, "ci: %v", err)
}
