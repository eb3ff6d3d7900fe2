package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

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
	fs.BoolVar(&o.all, "all", false, "show every finding, also those hidden by default (in tests, init, String methods, error paths, small loops; cold code with a profile)")
	fs.StringVar(&o.profile, "profile", "", "CPU profile `file` ranking the findings by their share of its samples (default: the default.pgo of the main packages linted, if any; \"off\" to ignore it)")
	fs.Float64Var(&o.minShare, "min-share", 0.5, "with a profile, hide findings on code with less than this `percent` of the samples")
	fs.StringSliceVar(&o.rules, "rules", nil, "run only these `rules` (comma-separated)")
	fs.StringSliceVar(&o.disable, "disable", nil, "do not run these `rules` (comma-separated)")
	fs.BoolVar(&o.tests, "tests", true, "also analyze _test.go files")
	fs.StringSliceVar(&o.tags, "tags", nil, "build `tags` (comma-separated)")
	fs.StringVarP(&o.dir, "dir", "C", "", "run in `directory` (as go -C)")
	usage := func(w io.Writer) {
		printGroupedUsage(w, fs, "advisor lint [flags] [packages]", []flagGroup{
			{"Output", []string{"format", "json", "fail-on", "all"}},
			{"Profile", []string{"profile", "min-share"}},
			{"Rules", []string{"rules", "disable", "explain"}},
			{"Fixes", []string{"diff", "fix"}},
			{"Packages", []string{"tests", "tags", "dir"}},
		}, lintExamples)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			usage(e.stdout)
			return exitOK
		}
		return errorf(e, "lint: %v (see advisor lint -h)", err)
	}
	if o.json {
		if fs.Changed("format") && o.format != "json" {
			return errorf(e, "lint: --json conflicts with --format %s", o.format)
		}
		o.format = "json"
	}
	if !slices.Contains([]string{"text", "json", "sarif"}, o.format) {
		return errorf(e, "lint: unknown --format %q (want text, json or sarif)", o.format)
	}
	if o.fix && o.diff {
		return errorf(e, "lint: --fix and --diff are exclusive (--diff previews what --fix does)")
	}
	if (o.fix || o.diff) && o.format != "text" {
		return errorf(e, "lint: --%s prints text; it cannot be combined with --format %s", map[bool]string{true: "fix", false: "diff"}[o.fix], o.format)
	}
	selected, err := lint.Select(rules, o.rules, o.disable)
	if err != nil {
		return errorf(e, "lint: %v", err)
	}
	if o.explain {
		return explainRules(e, selected, fs.Args())
	}
	policy, err := lint.ParseFailOn(o.failOn, o.format == "text" && !o.diff, rules)
	if err != nil {
		return errorf(e, "lint: %v", err)
	}

	if o.minShare < 0 || o.minShare > 100 {
		return errorf(e, "lint: --min-share %v: want a percentage between 0 and 100", o.minShare)
	}
	full, err := lint.Run(ctx, lint.Config{Dir: o.dir, Patterns: fs.Args(), Tests: o.tests, Tags: o.tags, Rules: selected})
	if err != nil {
		return errorf(e, "lint: %v", err)
	}
	show, err := lintShow(e, full, o)
	if err != nil {
		return errorf(e, "lint: %v", err)
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
	switch {
	case o.diff:
		code = lintDiff(e, res, o.dir)
	case o.fix:
		code = lintFix(e, res, o.dir)
	default:
		if err := writeLint(e.stdout, res, o.format, selected, workDir(o.dir)); err != nil {
			return errorf(e, "lint: %v", err)
		}
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

// explainRules prints the documentation of the named rules, or a list of
// all rules when none is named.
func explainRules(e *env, rules []all.Rule, names []string) int {
	if len(names) == 0 {
		if err := render.RuleList(e.stdout, rules); err != nil {
			return errorf(e, "lint: %v", err)
		}
		return exitOK
	}
	for i, n := range names {
		j := slices.IndexFunc(rules, func(r all.Rule) bool { return r.Analyzer.Name == n })
		if j < 0 {
			return errorf(e, "lint: unknown rule %q (advisor lint --explain lists the rules)", n)
		}
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		if err := render.RuleDoc(e.stdout, rules[j]); err != nil {
			return errorf(e, "lint: %v", err)
		}
	}
	return exitOK
}

// lintDiff prints the fixes as a unified diff with a/ and b/ prefixes (so
// that git apply and patch -p1 take it).
func lintDiff(e *env, res *lint.Result, dir string) int {
	changes, skipped, err := lint.Changes(res.Fixes)
	if err == nil {
		if cerr := res.Check(changes); cerr != nil {
			return errorf(e, "lint: %v", cerr)
		}
	}
	if werr := render.LintDiff(e.stdout, changes, res.Root, render.LintOptions{WorkDir: workDir(dir)}); werr != nil {
		err = errors.Join(err, werr)
	}
	if skipped > 0 {
		fmt.Fprintf(e.stderr, "advisor: %d fixes overlap others and are not shown; apply these and run again\n", skipped)
	}
	if err != nil {
		return errorf(e, "lint: %v", err)
	}
	return exitOK
}

// lintFix applies the fixes and prints the findings that remain.
func lintFix(e *env, res *lint.Result, dir string) int {
	changes, skipped, err := lint.Changes(res.Fixes)
	if cerr := res.Check(changes); cerr != nil {
		// Fixes that type-check alone but not together: write none of
		// them rather than leave the package broken.
		return errorf(e, "lint: %v", cerr)
	}
	if werr := lint.Write(changes); werr != nil {
		err = errors.Join(err, werr)
	}
	n := 0
	for _, c := range changes {
		n += c.Applied
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "advisor: applied %s in %s\n", plural(n, "fix", "fixes"), plural(len(changes), "file", "files"))
	}
	if skipped > 0 {
		fmt.Fprintf(e.stderr, "advisor: %d fixes overlap others and were not applied; run advisor lint --fix again\n", skipped)
	}
	rest := *res
	rest.Findings = nil
	fixed := make(map[int]bool)
	for _, f := range res.Fixes {
		fixed[f.Finding] = true
	}
	for i, f := range res.Findings {
		if !fixed[i] {
			rest.Findings = append(rest.Findings, f)
		}
	}
	if werr := render.LintText(e.stdout, &rest, render.LintOptions{WorkDir: workDir(dir)}); werr != nil {
		err = errors.Join(err, werr)
	}
	if err != nil {
		return errorf(e, "lint: %v", err)
	}
	return exitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// workDir is the absolute directory lint output names files relative to:
// --dir (-C) resolved against the current directory, as go vet does; ""
// (files as found) when the current directory is unknown.
func workDir(dir string) string {
	w, err := os.Getwd()
	switch {
	case err != nil:
		return dir
	case dir == "":
		return w
	case !filepath.IsAbs(dir):
		return filepath.Join(w, dir)
	}
	return dir
}

// writeLint renders a lint result in the chosen format.
func writeLint(w io.Writer, res *lint.Result, format string, rules []all.Rule, wd string) error {
	switch format {
	case "json":
		return render.JSON(w, res.Report())
	case "sarif":
		return render.LintSARIF(w, res, rules)
	}
	return render.LintText(w, res, render.LintOptions{WorkDir: wd})
}
