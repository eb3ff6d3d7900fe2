package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/ci"
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
		printGroupedUsage(e.stdout, fs, "advisor compare [flags] old.txt new.txt", []flagGroup{
			{"Gate", []string{"alpha", "threshold", "allocs-threshold", "bytes-threshold", "bench-threshold", "config"}},
			{"Output", []string{"format", "output", "confidence"}},
		}, compareExamples)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return errorf(e, "compare: %v (see advisor compare -h)", err)
	}
	if fs.NArg() != 2 {
		return errorf(e, "compare: want two benchmark files, old and new (see advisor compare -h)")
	}
	if !ciValidFormat(*format) {
		return errorf(e, "compare: unknown --format %q (want one of %s)", *format, strings.Join(render.CIFormats, ", "))
	}
	cfg, err := g.Load(fs, ".")
	if err != nil {
		return errorf(e, "compare: %v", err)
	}
	oldPath, newPath := fs.Arg(0), fs.Arg(1)
	oldLabel, newLabel := oldPath, newPath
	if oldLabel == newLabel {
		// benchfmt.Files disambiguates the same way.
		oldLabel, newLabel = oldPath+"#0", newPath+"#1"
	}
	var rs benchstat.Results
	for _, in := range []struct{ path, label string }{{oldPath, oldLabel}, {newPath, newLabel}} {
		if err := ciParseFile(&rs, in.path, in.label); err != nil {
			return errorf(e, "compare: %v", err)
		}
	}
	cmp, err := benchstat.Compare(&rs, benchstat.Options{Base: oldLabel, Head: newLabel, Alpha: cfg.Gate.Alpha, Confidence: *confidence})
	if err != nil {
		return errorf(e, "compare: %v", err)
	}
	gate, err := benchstat.Gate(cmp, cfg.Gate)
	if err != nil {
		return errorf(e, "compare: %v", err)
	}
	o := benchstat.NewCI(oldPath, newPath, cfg.Gate, cmp, gate)
	return ciFinish(e, o, *format, *output, "compare")
}

// ciParseFile parses one benchmark output file into rs.
func ciParseFile(rs *benchstat.Results, path, label string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading benchmarks: %w", err)
	}
	defer f.Close()
	if err := rs.Parse(f, path, label); err != nil {
		return fmt.Errorf("malformed benchmark output: %w", err)
	}
	return nil
}

// ciFinish writes the outcome and returns the exit code: 1 on a regression
// or a new hot finding, 2 when nothing could be compared or a benchmark
// could not be decided, 0 otherwise.
func ciFinish(e *env, o *report.CI, format, output, verb string) int {
	w := e.stdout
	var f *os.File
	if output != "" {
		var err error
		if f, err = os.Create(output); err != nil {
			return errorf(e, "%s: %v", verb, err)
		}
		w = f
	}
	err := render.WriteCI(w, o, format)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return errorf(e, "%s: writing result: %v", verb, err)
	}
	if o.Regressions > 0 || len(o.NewFindings) > 0 {
		return exitFindings
	}
	compared := 0
	var undecided []string
	for _, v := range o.Verdicts {
		switch v.Status {
		case report.StatusUndecided:
			undecided = append(undecided, v.Name+" "+v.Unit)
			compared++
		case report.StatusAdded, report.StatusRemoved, report.StatusIgnored:
		default:
			compared++
		}
	}
	if compared == 0 {
		return errorf(e, "%s: no benchmark appears in both %s and %s; nothing to compare", verb, o.Base, o.Head)
	}
	if len(undecided) > 0 {
		return errorf(e, "%s: could not decide %d benchmark(s) (%s): too few samples to reach p < %v; use at least %d runs per side",
			verb, len(undecided), ciFirst(undecided, 3), o.Alpha, benchstat.MinCount(o.Alpha))
	}
	return exitOK
}

func ciFirst(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(", and %d more", len(xs)-n)
}

func ciValidFormat(f string) bool {
	for _, x := range render.CIFormats {
		if f == x {
			return true
		}
	}
	return false
}
