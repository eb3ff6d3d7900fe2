package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/ci"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/cli"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/spf13/pflag"
)

const compareExamples = `  advisor compare old.txt new.txt                  # benchstat-like table, exit 1 on a regression
  advisor compare --threshold 10% old.txt new.txt
  advisor compare --format markdown old.txt new.txt > comment.md`

// runCompare compares two `go test -bench` outputs the way benchstat does
// and applies the regression gate to them.
func runCompare(ctx context.Context, e *env, args []string) int {
	fs := pflag.NewFlagSet("compare", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	g := ci.AddGateFlags(fs)
	confidence := fs.Float64("confidence", 0.95, "confidence `level` of the ± ranges")
	format := fs.String("format", "text", "output `format`: "+strings.Join(render.CIFormats, ", "))
	output := fs.StringP("output", "o", "", "write the result to `file` instead of stdout")
	fs.Usage = func() {
		cli.PrintGroupedUsage(e.stdout, fs, "advisor compare [flags] old.txt new.txt", []cli.FlagGroup{
			{Title: "Gate", Names: []string{"alpha", "threshold", "allocs-threshold", "bytes-threshold", "bench-threshold", "config"}},
			{Title: "Output", Names: []string{"format", "output", "confidence"}},
		}, compareExamples)
	}
	fail := func(err error) int {
		code := errorf(e, "compare: %v", err)
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
		return fail(fmt.Errorf("%w (see advisor compare -h)", err))
	}
	if fs.NArg() != 2 {
		return fail(errors.New("want two benchmark files, old and new (see advisor compare -h)"))
	}
	if !ciValidFormat(*format) {
		return fail(fmt.Errorf("unknown --format %q (want one of %s)", *format, strings.Join(render.CIFormats, ", ")))
	}
	cfg, err := g.Load(fs, ".")
	if err != nil {
		return fail(err)
	}
	o, err := ci.CompareFiles(fs.Arg(0), fs.Arg(1), cfg, *confidence)
	if err != nil {
		return fail(err)
	}
	return ciFinish(e, o, *format, *output, "compare")
}

// ciFinish writes the outcome and returns the exit code: 1 on a regression
// or a new hot finding, 2 when nothing could be compared or a benchmark
// could not be decided, 0 otherwise.
func ciFinish(e *env, o *report.CI, format, output, verb string) int {
	switch failed, err := ci.Finish(e.stdout, o, format, output); {
	case err != nil:
		return errorf(e, "%s: %v", verb, err)
	case failed:
		return exitFindings
	}
	return exitOK
}

// ciFailureDoc writes the advisor-ci/v1 document of a failed ci or compare
// run (to output if set), after the error was said on stderr; a failed
// write has nothing more to add.
func ciFailureDoc(e *env, output string, err error) {
	_, _ = ci.Finish(e.stdout, ci.Failed(err), "json", output)
}

func ciValidFormat(f string) bool { return slices.Contains(render.CIFormats, f) }
