package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/ci"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/cli"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/spf13/pflag"
)

const ciExamples = `  advisor ci --base origin/main ./...               # in a git checkout: base revision vs the working tree
  advisor ci --base-dir ../old --head-dir . ./...   # two trees
  advisor ci --base origin/main --format markdown ./... > comment.md
  advisor ci --base HEAD~1 --bench 'Parse' --count 20 --benchtime 200ms ./parser`

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
	g := ci.AddGateFlags(fs)
	format := fs.String("format", "text", "output `format`: "+strings.Join(render.CIFormats, ", "))
	output := fs.StringP("output", "o", "", "write the result to `file` instead of stdout")
	progress := fs.Bool("progress", false, "print progress to stderr (default: only on a terminal)")
	fs.Usage = func() {
		cli.PrintGroupedUsage(e.stdout, fs, "advisor ci [flags] [packages]", []cli.FlagGroup{
			{Title: "What to compare", Names: []string{"base", "base-dir", "head-dir", "bench", "tags"}},
			{Title: "Measurement", Names: []string{"count", "benchtime", "no-confirm", "no-cpu-time"}},
			{Title: "Gate", Names: []string{"alpha", "threshold", "allocs-threshold", "bytes-threshold", "bench-threshold", "config", "no-lint", "hot"}},
			{Title: "Output", Names: []string{"format", "output", "progress"}},
		}, ciExamples)
	}
	// fail reports an error: one line on stderr and, under --format json,
	// an advisor-ci/v1 document whose errors say why.
	fail := func(err error) int {
		code := cli.PrintBuildFailure(e.stderr, "ci", err)
		if *format == "json" {
			ciFailureDoc(e, *output, err)
		}
		return code
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		if cli.AsksJSON(args) {
			*format = "json" // the parser may have stopped before --format
		}
		return fail(fmt.Errorf("%w (see advisor ci -h)", err))
	}
	if (*base == "") == (*baseDir == "") {
		return fail(errors.New("give exactly one of --base REV (a git revision) or --base-dir DIR (see advisor ci -h)"))
	}
	if !ciValidFormat(*format) {
		return fail(fmt.Errorf("unknown --format %q (want one of %s)", *format, strings.Join(render.CIFormats, ", ")))
	}
	hot, err := ci.ParsePercent(*hotShare)
	if err != nil {
		return fail(fmt.Errorf("--hot: %w", err))
	}
	head, err := filepath.Abs(*headDir)
	if fi, serr := os.Stat(head); err != nil || serr != nil || !fi.IsDir() {
		return fail(fmt.Errorf("--head-dir %s is not a directory", *headDir))
	}
	cfg, err := g.Load(fs, head)
	if err != nil {
		return fail(err)
	}
	if fs.Changed("bench") {
		cfg.Bench = *bench
	}
	if fs.Changed("count") {
		cfg.Count = *count
	}
	if fs.Changed("benchtime") {
		if err := ci.CheckBenchtime(*benchtime); err != nil {
			return fail(fmt.Errorf("--benchtime: %w", err))
		}
		cfg.Benchtime = *benchtime
	}
	if *noConfirm {
		cfg.Confirm = false
	}
	if need := benchstat.MinCount(cfg.Gate.Alpha); cfg.Count < need {
		return fail(fmt.Errorf("--count %d is too small: %d runs per side can never reach p < %v; use --count %d or more", cfg.Count, cfg.Count, cfg.Gate.Alpha, need))
	}

	p := ci.Params{
		Base: *base, BaseDir: *baseDir, HeadDir: head, HeadLabel: *headDir,
		Patterns: fs.Args(), Tags: *tags, Config: cfg,
		CPUTime: !*noCPU, Lint: !*noLint, Hot: hot, Stderr: e.stderr,
	}
	if *progress || e.stderrTTY {
		p.Progress = e.stderr
	}
	o, err := ci.Run(ctx, p)
	if err != nil {
		return fail(err)
	}
	return ciFinish(e, o, *format, *output, "ci")
}
