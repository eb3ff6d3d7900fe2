package ci

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/advisor-dev/advisor/profile"
)

// CompareFiles compares two `go test -bench` output files the way
// benchstat does (at the given confidence level) and applies cfg's gate.
func CompareFiles(oldPath, newPath string, cfg Config, confidence float64) (*report.CI, error) {
	oldLabel, newLabel := oldPath, newPath
	if oldLabel == newLabel {
		// benchfmt.Files disambiguates the same way.
		oldLabel, newLabel = oldPath+"#0", newPath+"#1"
	}
	var rs benchstat.Results
	for _, in := range []struct{ path, label string }{{oldPath, oldLabel}, {newPath, newLabel}} {
		if err := parseFile(&rs, in.path, in.label); err != nil {
			return nil, err
		}
	}
	cmp, err := benchstat.Compare(&rs, benchstat.Options{Base: oldLabel, Head: newLabel, Alpha: cfg.Gate.Alpha, Confidence: confidence})
	if err != nil {
		return nil, err
	}
	gate, err := benchstat.Gate(cmp, cfg.Gate)
	if err != nil {
		return nil, err
	}
	return benchstat.NewCI(oldPath, newPath, cfg.Gate, cmp, gate), nil
}

// parseFile parses one benchmark output file into rs.
func parseFile(rs *benchstat.Results, path, label string) error {
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

// ErrNothingCompared says no benchmark appears on both sides (after
// .advisor.yaml's exclusions): the gate has nothing to say.
var ErrNothingCompared = errors.New("nothing to compare")

// Judge says what o means: failed when a confirmed regression or a new hot
// finding fails the gate; err (ErrNothingCompared, or a benchmark that
// could not be decided) when the gate could not do its job.
func Judge(o *report.CI) (failed bool, err error) {
	if o.Regressions > 0 || len(o.NewFindings) > 0 {
		return true, nil
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
		return false, fmt.Errorf("no benchmark appears in both %s and %s; %w", o.Base, o.Head, ErrNothingCompared)
	}
	if len(undecided) > 0 {
		return false, fmt.Errorf("could not decide %d benchmark(s) (%s): too few samples to reach p < %v; use at least %d runs per side",
			len(undecided), first(undecided, 3), o.Alpha, benchstat.MinCount(o.Alpha))
	}
	return false, nil
}

func first(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(", and %d more", len(xs)-n)
}

// Finish writes o in format to w (or the file output) and judges it (see
// Judge). With nothing compared, text output would read "no regressions":
// then nothing is written and the error says what happened.
func Finish(w io.Writer, o *report.CI, format, output string) (failed bool, err error) {
	if _, err := Judge(o); errors.Is(err, ErrNothingCompared) && format == "text" {
		return false, err
	}
	var f *os.File
	if output != "" {
		if f, err = os.Create(output); err != nil {
			return false, err
		}
		w = f
	}
	err = render.WriteCI(w, o, format)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return false, fmt.Errorf("writing result: %w", err)
	}
	return Judge(o)
}

// Failed is the advisor-ci/v1 document of a run that compared nothing
// because of err: no tables, no verdicts, err in errors, and the gate's
// default levels. Under a machine format a failed run still prints one
// document (docs/report-schema.md).
func Failed(err error) *report.CI {
	g := DefaultConfig().Gate
	msg := err.Error()
	if ue := (*profile.UserError)(nil); errors.As(err, &ue) {
		msg = ue.Msg
	}
	return &report.CI{
		Schema:      report.SchemaCIV1,
		Alpha:       g.Alpha,
		Threshold:   g.Threshold,
		Comparison:  &report.Comparison{Alpha: g.Alpha, Confidence: 0.95, Tables: []report.BenchTable{}},
		Verdicts:    []report.Verdict{},
		NewFindings: []report.Finding{},
		Errors:      []string{msg},
	}
}
