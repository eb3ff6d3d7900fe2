package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/advisor-dev/advisor/cmd/advisor/internal/cli"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/lintcmd"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/measure"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
	"github.com/spf13/pflag"
)

const lintExamples = `  advisor lint ./...                          # findings as file:line:col: message (rule)
  advisor lint --json ./... > findings.json   # the advisor/v1 report, findings only
  advisor lint --format sarif ./... > advisor.sarif   # for GitHub code scanning
  advisor lint --explain                      # list the rules; --explain RULE explains one
  advisor lint --diff ./...                   # show the safe fixes as a diff
  advisor lint --fix ./...                    # apply them
  advisor lint --all ./...                    # also the findings hidden by default (tests, error paths, ...)
  advisor lint --profile cpu.pprof ./...      # only findings on code with >= 0.5% of the samples, ranked
  advisor lint --bench . ./...                # the same, ranked by a profile of the packages' own benchmarks
  advisor lint --fail-on recursion,hoist ./...   # exit 1 only for these categories/kinds/rules
  go vet -vettool=$(which advisor-vet) ./...     # the same rules from go vet and editors`

// runLint is the lint verb with every registered rule.
func runLint(ctx context.Context, e *env, args []string) int {
	return lintMain(ctx, e, args, all.Rules())
}

// lintOptions are the parsed flags of advisor lint.
type lintOptions struct {
	format, failOn, dir string
	json, explain, all  bool
	profile             string
	bench, benchTime    string
	minShare            float64
	fix, diff, tests    bool
	rules, disable      []string
	tags                []string
}

// lintMain runs advisor lint with the given rule set (tests pass their own).
func lintMain(ctx context.Context, e *env, args []string, rules []all.Rule) int {
	var o lintOptions
	fs := pflag.NewFlagSet("advisor lint", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.format, "format", "text", "output `format`: text, json or sarif")
	fs.BoolVar(&o.json, "json", false, "same as --format json")
	fs.BoolVar(&o.explain, "explain", false, "explain the rules named as arguments, or list all rules")
	fs.BoolVar(&o.fix, "fix", false, "apply the suggested fixes to the files (gofmt'd, atomically per file)")
	fs.BoolVar(&o.diff, "diff", false, "print the suggested fixes as a unified diff; change nothing")
	fs.StringVar(&o.failOn, "fail-on", "", "exit 1 when findings of these rules, categories or kinds exist: a comma `list`, \"any\" or \"none\"\n(default \"any\" for text output, as go vet; \"none\" for --json, --format sarif and --diff)")
	fs.BoolVar(&o.all, "all", false, "show every finding, also those hidden by default (in tests, init, String methods, error paths, small loops, code run once per call, micro-optimizations; cold or unprofiled code with a profile)")
	fs.StringVar(&o.profile, "profile", "", "CPU profile `file` ranking the findings by their share of its samples (default: the default.pgo of the main packages linted, if any; \"off\" to ignore it)")
	fs.StringVar(&o.bench, "bench", "", "rank by a CPU profile of the linted packages' benchmarks matching this `regexp` (go test -bench), run one package at a time")
	fs.StringVar(&o.benchTime, "benchtime", "1s", "with --bench, how long to run each benchmark (go test -benchtime: a `duration` or Nx)")
	fs.Float64Var(&o.minShare, "min-share", 0.5, "with a profile, hide findings on code with less than this `percent` of the samples")
	fs.StringSliceVar(&o.rules, "rules", nil, "run only these `rules` (comma-separated)")
	fs.StringSliceVar(&o.disable, "disable", nil, "do not run these `rules` (comma-separated)")
	fs.BoolVar(&o.tests, "tests", true, "also analyze _test.go files")
	fs.StringSliceVar(&o.tags, "tags", nil, "build `tags` (comma-separated)")
	fs.StringVarP(&o.dir, "dir", "C", "", "run in `directory` (as go -C)")
	usage := func(w io.Writer) {
		cli.PrintGroupedUsage(w, fs, "advisor lint [flags] [packages]", []cli.FlagGroup{
			{Title: "Output", Names: []string{"format", "json", "fail-on", "all"}},
			{Title: "Profile", Names: []string{"profile", "bench", "benchtime", "min-share"}},
			{Title: "Rules", Names: []string{"rules", "disable", "explain"}},
			{Title: "Fixes", Names: []string{"diff", "fix"}},
			{Title: "Packages", Names: []string{"tests", "tags", "dir"}},
		}, lintExamples)
	}
	// fail reports an error: one line on stderr and, under --json, a
	// document whose errors say why (a script reading stdout gets one).
	fail := func(format string, a ...any) int {
		err := fmt.Errorf(format, a...)
		code := errorf(e, "lint: %v", err)
		if o.format == "json" {
			rep, _ := measure.Failure("", nil, nil, err) // the profile verb's failure document
			_ = render.JSON(e.stdout, rep)               // the error is said; a closed pipe has nothing to add
		}
		return code
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			usage(e.stdout)
			return exitOK
		}
		if cli.AsksJSON(args) {
			o.format = "json" // the parser may have stopped before --json
		}
		return fail("%v (see advisor lint -h)", err)
	}
	if o.json {
		if fs.Changed("format") && o.format != "json" {
			return fail("--json conflicts with --format %s", o.format)
		}
		o.format = "json"
	}
	if !slices.Contains([]string{"text", "json", "sarif"}, o.format) {
		return fail("unknown --format %q (want text, json or sarif)", o.format)
	}
	if o.fix && o.diff {
		return fail("--fix and --diff are exclusive (--diff previews what --fix does)")
	}
	if (o.fix || o.diff) && o.format != "text" {
		return fail("--%s prints text; it cannot be combined with --format %s", map[bool]string{true: "fix", false: "diff"}[o.fix], o.format)
	}
	selected, err := lint.Select(rules, o.rules, o.disable)
	if err != nil {
		return fail("%v", err)
	}
	if o.explain {
		if err := lintcmd.Explain(e.stdout, selected, fs.Args()); err != nil {
			return fail("%v", err)
		}
		return exitOK
	}
	policy, err := lint.ParseFailOn(o.failOn, o.format == "text" && !o.diff, rules)
	if err != nil {
		return fail("%v", err)
	}

	if o.bench != "" && fs.Changed("profile") {
		return fail("--bench and --profile are exclusive (--bench records the profile)")
	}
	if o.bench != "" && !o.tests {
		return fail("--bench runs the benchmarks of the _test.go files that --tests=false leaves out")
	}
	if o.benchTime == "" {
		return fail("--benchtime: want a duration or Nx, as go test -benchtime")
	}
	if o.minShare < 0 || o.minShare > 100 {
		return fail("--min-share %v: want a percentage between 0 and 100", o.minShare)
	}
	full, err := lint.Run(ctx, lint.Config{Dir: o.dir, Patterns: fs.Args(), Tests: o.tests, Tags: o.tags, Rules: selected, CacheDir: lintcmd.CacheDir(e.getenv)})
	if err != nil {
		return fail("%v", err)
	}
	show, err := lintcmd.Show(ctx, e.stderr, full, lintcmd.ShowOptions{All: o.all, MinShare: o.minShare, Profile: o.profile, Dir: o.dir, Text: o.format == "text",
		Bench: o.bench, BenchTime: o.benchTime, Tags: o.tags})
	if err != nil {
		return fail("%v", err)
	}
	res := show.Result
	if sum := show.Summary(); sum != "" && o.format == "text" && !o.diff {
		defer fmt.Fprintf(e.stderr, "advisor: %s\n", sum)
	}
	for _, pe := range res.PackageErrors {
		fmt.Fprintf(e.stderr, "advisor: %s\n", pe)
	}
	code := exitOK
	if o.diff || o.fix {
		for _, d := range res.DroppedFixes {
			fmt.Fprintf(e.stderr, "advisor: %s\n", d)
		}
	}
	var werr error
	switch {
	case o.diff:
		werr = lintcmd.Diff(e.stdout, e.stderr, res, o.dir)
	case o.fix:
		werr = lintcmd.Fix(e.stdout, e.stderr, res, o.dir)
	default:
		werr = lintcmd.Write(e.stdout, res, o.format, selected, lintcmd.WorkDir(o.dir))
	}
	if werr != nil {
		code = errorf(e, "lint: %v", werr)
	}
	switch {
	case code != exitOK:
	case len(res.PackageErrors) > 0, (o.diff || o.fix) && len(res.DroppedFixes) > 0:
		// Some packages were not analyzed, or a rule's fix was refused
		// because it does not type-check (a bug in the rule): the result is
		// incomplete, which outranks whatever was found in the others.
		code = exitError
	case policy.Fails(res, o.fix):
		code = exitFindings
	}
	return code
}
