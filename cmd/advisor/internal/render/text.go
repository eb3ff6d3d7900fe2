// Package render writes advisor's reports in every output format: the
// advisor/v1 report as text, JSON and a self-contained HTML page, the
// results of advisor lint as text, JSON, SARIF and diffs, and the pprof web
// UI on a collected profile.
//
// Renderers compute nothing: they lay out the values of a *report.Report
// (or a lint result) and ask package analyze for any judgement they show
// (which hot paths are noise, what a measured rewrite amounts to), so every
// format says the same.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"text/tabwriter"

	"github.com/advisor-dev/advisor/analyze/advise"
	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
)

// stateLabel names a breakdown state for people.
func stateLabel(state string) string {
	switch state {
	case report.StateCPU:
		return "on-CPU"
	case report.StateSyscall:
		return "file/syscall"
	case report.StateGC:
		return "GC"
	case report.StateSched:
		return "scheduler wait"
	}
	return state
}

// classMeaning says in words what a program class means.
func classMeaning(class string) string {
	switch class {
	case report.ClassCPU:
		return "computing: its time is spent on CPU"
	case report.ClassIO:
		return "waiting for I/O (network or file system calls)"
	case report.ClassSync:
		return "waiting for other goroutines (locks, channels)"
	case report.ClassSleep:
		return "sleeping"
	case report.ClassIdle:
		return "idle: too little happened to measure"
	}
	return class
}

// requestsMeaning says what the class of a server's window means: of its
// requests' time.
func requestsMeaning(s *report.Summary) string {
	if s.Class == report.ClassIdle {
		return "idle: it served no requests in the window"
	}
	return fmt.Sprintf("%s, per request (%d requests; waiting for requests is idle)", classMeaning(s.Class), s.Requests)
}

// writeHandlers lists a server's requests per handler.
func writeHandlers(b *strings.Builder, r *report.Report, p palette) {
	if len(r.Handlers) == 0 {
		return
	}
	b.WriteString("\n" + p.bold + "Requests" + p.reset + "\n")
	tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  %sshare\trequests\tmean\thandler%s\n", p.dim, p.reset)
	for _, h := range r.Handlers {
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", percent(h.Share), h.Requests, seconds(h.MeanSeconds), shortFunc(h.Function))
	}
	tw.Flush()
}

// palette holds the ANSI sequences used by the text renderer; all empty
// when color is off.
type palette struct {
	bold, dim, red, yellow, green, cyan, reset string
}

func newPalette(color bool) palette {
	if !color {
		return palette{}
	}
	return palette{bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", yellow: "\x1b[33m", green: "\x1b[32m", cyan: "\x1b[36m", reset: "\x1b[0m"}
}

// JSON writes r as one indented JSON document (schema advisor/v1), after
// normalizing it (nil lists become empty ones, as the schema wants).
func JSON(w io.Writer, r *report.Report) error {
	r.Normalize()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// TextOptions tunes the text report.
type TextOptions struct {
	Color    bool // ANSI colors (the caller decides: a terminal, no NO_COLOR)
	All      bool // show findings on cold code too
	MaxPaths int  // hot paths to list at most; 0 lists all but the noise
	// Imported: the profiles were collected elsewhere (--profile, --trace,
	// --from), so there is no exit status even when a package names the code.
	Imported bool
	// Root is the directory the report's paths are relative to (the
	// module root) and WorkDir the user's working directory: with both,
	// files are shown relative to WorkDir as go vet shows them, so that
	// editors and terminals can open them.
	Root, WorkDir string
}

// path shows a report path relative to the working directory.
func (o TextOptions) path(file string) string {
	if o.Root == "" || file == "" {
		return file
	}
	return DisplayPath(o.Root, o.WorkDir, file)
}

// Text renders r for a person at a terminal: the target, where its time
// goes, the hot paths, the recommendations, the findings and the notes.
func Text(w io.Writer, r *report.Report, o TextOptions) error {
	p := newPalette(o.Color)
	var b strings.Builder
	if t := r.Target; t != nil {
		name, exit := t.Package, ""
		switch {
		case t.ExitCode != nil:
			exit = fmt.Sprintf(" (exit %d)", *t.ExitCode)
		case o.Imported && name != "":
			exit = " (profiles collected elsewhere)"
		case name != "":
			exit = " (killed)"
		}
		if name == "" {
			// Imported or remote profiles: advisor did not run anything.
			name = "profiles collected elsewhere"
		}
		if len(t.Args) > 0 {
			name += " " + strings.Join(t.Args, " ")
		}
		fmt.Fprintf(&b, "%sadvisor%s %s%s\n", p.bold, p.reset, name, exit)
		fmt.Fprintf(&b, "  wall %s   cpu %s", seconds(t.WallSeconds), seconds(t.CPUSeconds))
		if r.Summary != nil && t.GOMAXPROCS > 0 {
			fmt.Fprintf(&b, "   cores used %.2f of %d (GOMAXPROCS)", r.Summary.CoresUsed, t.GOMAXPROCS)
		}
		b.WriteString("\n")
	}
	if s := r.Summary; s != nil {
		meaning := classMeaning(s.Class)
		if s.Accounting == report.AccountingRequests {
			meaning = requestsMeaning(s)
		}
		fmt.Fprintf(&b, "  class %s%s%s: %s\n", p.cyan, s.Class, p.reset, meaning)
		if s.Class != report.ClassIdle || s.Accounting != report.AccountingRequests {
			// (A server that served nothing has no time to show.)
			b.WriteString("\n" + p.bold + "Where the time goes" + p.reset + "\n")
			tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
			for _, st := range report.States {
				v := s.Breakdown[st]
				if v < 0.0005 {
					continue
				}
				fmt.Fprintf(tw, "  %s\t%s\t %s\t\n", stateLabel(st), percent(v), bar(v, 30))
			}
			tw.Flush()
			writeHandlers(&b, r, p)
		}
	}
	if len(r.Hotpaths) > 0 {
		b.WriteString("\n" + p.bold + "Hot paths" + p.reset + "\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  %sshare\tclass\tfunction\tlocation\tdetail%s\n", p.dim, p.reset)
		// The rest are beyond --top or noise to a reader; --json has them.
		shown := advise.TopHotpaths(r.Hotpaths, o.MaxPaths)
		for _, h := range shown {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", percent(h.Share), h.Class, shortFunc(h.Function), location(o.path(h.File), h.Line), hotDetail(h))
		}
		tw.Flush()
		if rest := len(r.Hotpaths) - len(shown); rest > 0 {
			fmt.Fprintf(&b, "  %s… %d smaller (--json lists all)%s\n", p.dim, rest, p.reset)
		}
	}
	writeRecommendations(&b, r, p, o)
	writeFindings(&b, r, p, o)
	if len(r.Errors) > 0 {
		b.WriteString("\n" + p.yellow + "Notes" + p.reset + "\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "  - %s\n", e)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeRecommendations(b *strings.Builder, r *report.Report, p palette, o TextOptions) {
	if len(r.Recommendations) == 0 {
		return
	}
	b.WriteString("\n" + p.bold + "Recommendations" + p.reset + "\n")
	for i, rec := range r.Recommendations {
		where := ""
		if rec.Function != "" {
			where = " " + shortFunc(rec.Function)
		}
		if rec.File != "" {
			where += " (" + location(o.path(rec.File), rec.Line) + ")"
		}
		est := ""
		if rec.EstimatedSpeedup != nil {
			est = fmt.Sprintf("  %sest. %s whole program%s", p.dim, Estimate(rec), p.reset)
		}
		fmt.Fprintf(b, "  %d. %s%s%s%s%s\n", i+1, p.green, rec.Kind, p.reset, where, est)
		for _, line := range wrap(rec.Text, 96) {
			fmt.Fprintf(b, "     %s\n", line)
		}
		if v := rec.Verified; v != nil {
			fmt.Fprintf(b, "     %s\n", VerifiedText(v))
		}
	}
}

// Estimate formats a recommendation's estimated speedup ("2.40×"); a lower
// bound reads ">20×" (Recommendation.EstimateLowerBound). The caller
// checks that the estimate is known.
func Estimate(rec report.Recommendation) string {
	if rec.EstimateLowerBound {
		return fmt.Sprintf(">%.3g×", *rec.EstimatedSpeedup)
	}
	return fmt.Sprintf("%.2f×", *rec.EstimatedSpeedup)
}

// VerifiedText summarizes a benchmark of a rewrite in one line, with the
// verdict of benchstat.JudgeVerified (the text and HTML reports and verify's
// progress lines all say it in these words).
func VerifiedText(v *report.Verified) string {
	verb, dir, sp, tail := "verified", "faster", v.Speedup, ""
	switch benchstat.JudgeVerified(v) {
	case benchstat.VerdictTestsFail:
		return "tests fail with this rewrite — not applied"
	case benchstat.VerdictTooFewRuns:
		return fmt.Sprintf("too few runs to verify (%d; a 95%% interval needs %d) — not recommended", v.Runs, benchstat.VerifyMinRuns)
	case benchstat.VerdictNoChange:
		return fmt.Sprintf("no significant change (p=%.2f, %d runs) — not recommended", v.P, v.Runs)
	case benchstat.VerdictSlower:
		verb, dir, sp, tail = "measured", "slower", 1/sp, " — not recommended"
	}
	tests := map[string]string{"pass": ", tests pass", "none": ", no tests"}[v.Tests]
	allocs := ""
	if v.AllocsBefore != nil && v.AllocsAfter != nil {
		allocs = fmt.Sprintf(", allocations %s → %s", compactCount(*v.AllocsBefore), compactCount(*v.AllocsAfter))
	}
	return fmt.Sprintf("%s %.2f× %s (95%% CI %.2f–%.2f×, %s, %d runs)%s%s%s", verb, sp, dir, v.CILow, v.CIHigh, pValue(v.P), v.Runs, tests, allocs, tail)
}

func pValue(p float64) string {
	if p < 0.001 {
		return "p<0.001"
	}
	return fmt.Sprintf("p=%.3f", p)
}

func writeFindings(b *strings.Builder, r *report.Report, p palette, o TextOptions) {
	all := o.All
	var shown []report.Finding
	for _, f := range r.Findings {
		if all || !advise.ColdFinding(f) {
			shown = append(shown, f)
		}
	}
	if len(shown) == 0 {
		return
	}
	title := "Findings"
	if !all {
		title = "Findings on hot code"
	}
	b.WriteString("\n" + p.bold + title + p.reset + "\n")
	for _, f := range shown {
		hot := ""
		if f.HotShare != nil {
			hot = fmt.Sprintf(" %s[%s of time]%s", p.dim, percent(*f.HotShare), p.reset)
		}
		fmt.Fprintf(b, "  %s:%d:%d: %s (%s)%s\n", o.path(f.File), f.Line, f.Column, f.Message, f.Rule, hot)
	}
	if hidden := len(r.Findings) - len(shown); hidden > 0 {
		fmt.Fprintf(b, "  %s%d finding(s) in cold code hidden (--all shows them)%s\n", p.dim, hidden, p.reset)
	}
}

func hotDetail(h report.Hotpath) string {
	var parts []string
	for _, st := range report.States {
		if v := h.Breakdown[st]; v >= 0.005 && len(h.Breakdown) > 1 {
			parts = append(parts, fmt.Sprintf("%s %s", stateLabel(st), percent(v)))
		}
	}
	if h.MaxDepth > 1 {
		parts = append(parts, fmt.Sprintf("recursion depth %d", h.MaxDepth))
	}
	return strings.Join(parts, ", ")
}

func location(file string, line int) string {
	if file == "" {
		return "?"
	}
	if line <= 0 {
		return file
	}
	return fmt.Sprintf("%s:%d", path.Clean(file), line)
}

func percent(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func seconds(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.0fms", s*1000)
	}
	return fmt.Sprintf("%.2fs", s)
}

// bar draws f (a fraction) as a horizontal bar of at most width cells.
func bar(f float64, width int) string {
	n := int(f*float64(width) + 0.5)
	if n == 0 && f > 0 {
		return "▏"
	}
	return strings.Repeat("█", n)
}

// shortFunc drops the import path from a function name, as pprof's -short
// does: "example.com/x/y.(*T).M" becomes "y.(*T).M".
func shortFunc(fn string) string {
	// The package path ends at the last slash before the first dot after it.
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

// wrap breaks text into lines of at most width runes at spaces, keeping the
// text's own line breaks.
func wrap(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		lines = append(lines, line)
	}
	return lines
}

// compactCount prints a count the way people read it: 1234567 as 1.23M.
func compactCount(n float64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.3gG", n/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.3gM", n/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.3gk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}

// ReportOptions say where and how Write puts a report.
type ReportOptions struct {
	// Format is "text" or "json".
	Format string
	// Text holds the text format's options.
	Text TextOptions
	// Output is the report's file; "" means w.
	Output string
	// HTML, if set, is a file to also write the HTML report to, with
	// source excerpts from ModuleDir.
	HTML, ModuleDir string
}

// Write renders rep in o.Format to w (or o.Output) and the HTML report if
// asked. A failed write is an error naming what could not be written.
func Write(w io.Writer, rep *report.Report, o ReportOptions) error {
	var buf bytes.Buffer
	var err error
	if o.Format == "json" {
		err = JSON(&buf, rep)
	} else {
		err = Text(&buf, rep, o.Text)
	}
	if err != nil {
		return err
	}
	if o.Output != "" {
		if err := os.WriteFile(o.Output, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	} else if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if o.HTML != "" {
		if err := HTMLFile(o.HTML, rep, o.ModuleDir); err != nil {
			return fmt.Errorf("--html: %w", err)
		}
	}
	return nil
}
