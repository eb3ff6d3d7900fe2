package render

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
)

// reportTemplate is the HTML report: one self-contained page, inline CSS and
// SVG, no scripts and no network references, so it can be mailed, attached
// to CI runs and opened offline.
//
//go:embed report.html.tmpl
var reportTemplate string

// stateColors colors the breakdown states in charts and legends; the order of
// report.States keeps stacked bars in the same order everywhere.
var stateColors = map[string]string{
	report.StateCPU:     "#4e79a7",
	report.StateNetwork: "#f28e2b",
	report.StateSyscall: "#e15759",
	report.StateLock:    "#b07aa1",
	report.StateChannel: "#76b7b2",
	report.StateSelect:  "#59a14f",
	report.StateSleep:   "#bab0ac",
	report.StateGC:      "#edc948",
	report.StateSched:   "#9c755f",
}

// HTML renders r as a self-contained HTML page. excerpts maps "file:line"
// to the source around that line (see ReadExcerpts); a recommendation
// without an excerpt is shown without code.
func HTML(w io.Writer, r *report.Report, excerpts map[string]Excerpt) error {
	if r == nil {
		return fmt.Errorf("write HTML report: no report")
	}
	t, err := template.New("report").Parse(reportTemplate)
	if err != nil {
		return fmt.Errorf("write HTML report: parse template: %w", err)
	}
	if err := t.Execute(w, newHTMLView(r, excerpts)); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

// htmlView is the report laid out for the template: all formatting and
// geometry are done here, so the template only places values.
type htmlView struct {
	Title    string
	Target   *report.Target
	Args     string
	Summary  *report.Summary
	Class    string
	Chart    []segment // the summary breakdown, also the legend
	Hotpaths []hotpathView
	Recs     []recView
	Findings []findingView
	Errors   []string
}

// segment is one state's part of a stacked bar, in percent of the bar.
type segment struct {
	State, Label, Color, Pct string
	X, W                     float64 // percent of the bar's width
}

// hotpathView is a hot path's table row; Bar is its breakdown scaled to its share.
type hotpathView struct {
	Function, Where, Share, Class, Depth string
	Bar                                  []segment
}

// recView is one recommendation; Speedup is empty without an estimate and
// Verified without a measurement.
type recView struct {
	Rank              int
	Kind, Where, Text string
	Speedup, Verified string
	Findings          []string
	Excerpt           *Excerpt
}

// findingView is a finding's table row.
type findingView struct {
	Rule, Where, Function, Message, Share, Kind string
}

func newHTMLView(r *report.Report, ex map[string]Excerpt) htmlView {
	v := htmlView{Title: "advisor report", Target: r.Target, Summary: r.Summary, Errors: r.Errors}
	if r.Target != nil {
		if r.Target.Package != "" {
			v.Title = "advisor: " + r.Target.Package
		}
		v.Args = strings.Join(r.Target.Args, " ")
	}
	if r.Summary != nil {
		v.Class = classMeaning(r.Summary.Class)
		v.Chart = segments(r.Summary.Breakdown)
	}
	for _, h := range r.Hotpaths {
		hv := hotpathView{Function: h.Function, Where: htmlPlace(h.File, h.Line), Share: htmlPercent(h.Share), Class: h.Class, Bar: segments(h.Breakdown)}
		if h.MaxDepth > 0 {
			hv.Depth = strconv.Itoa(h.MaxDepth)
		}
		// A hot path's bar is as long as its share of the run.
		for i := range hv.Bar {
			hv.Bar[i].X *= h.Share
			hv.Bar[i].W *= h.Share
		}
		v.Hotpaths = append(v.Hotpaths, hv)
	}
	for i, rec := range r.Recommendations {
		rv := recView{Rank: i + 1, Kind: rec.Kind, Where: htmlPlace(rec.File, rec.Line), Text: rec.Text, Findings: rec.Findings}
		if rec.Function != "" {
			rv.Where = rec.Function + " " + rv.Where
		}
		if rec.EstimatedSpeedup != nil {
			rv.Speedup = Estimate(rec)
		}
		if vr := rec.Verified; vr != nil {
			// The same verdict as the text report: a collapsed interval
			// (too few runs) or an insignificant result is not a win.
			rv.Verified = VerifiedText(vr)
		}
		if e, ok := ex[excerptKey(rec.File, rec.Line)]; ok && rec.File != "" {
			rv.Excerpt = &e
		}
		v.Recs = append(v.Recs, rv)
	}
	for _, f := range r.Findings {
		fv := findingView{Rule: f.Rule, Where: htmlPlace(f.File, f.Line), Function: f.Function, Message: f.Message, Share: "—", Kind: f.Recommendation}
		if f.HotShare != nil {
			fv.Share = htmlPercent(*f.HotShare)
		}
		v.Findings = append(v.Findings, fv)
	}
	return v
}

// segments lays out a breakdown as a stacked bar in report.States order.
func segments(b report.Breakdown) []segment {
	var total float64
	for _, s := range report.States {
		total += max(b[s], 0)
	}
	if total <= 0 {
		return nil
	}
	var segs []segment
	x := 0.0
	for _, s := range report.States {
		f := max(b[s], 0) / total
		if f <= 0 {
			continue
		}
		w := f * 100
		segs = append(segs, segment{State: s, Label: stateLabel(s), Color: stateColors[s], Pct: htmlPercent(b[s]), X: htmlRound2(x), W: htmlRound2(w)})
		x += w
	}
	return segs
}

func htmlPlace(file string, line int) string {
	if file == "" {
		return ""
	}
	if line <= 0 {
		return file
	}
	return file + ":" + strconv.Itoa(line)
}

func htmlPercent(f float64) string {
	if f > 0 && f < 0.005 {
		return "<1%"
	}
	return fmt.Sprintf("%.0f%%", f*100)
}

func htmlRound2(x float64) float64 { return math.Round(x*100) / 100 }

// HTMLFile writes the HTML report of r, with source excerpts read from
// moduleDir, to path atomically (temporary file, then rename), so a reader
// never sees half a page.
func HTMLFile(path string, r *report.Report, moduleDir string) error {
	excerpts, _ := ReadExcerpts(moduleDir, r, 3) // a missing excerpt only loses context
	var buf bytes.Buffer
	if err := HTML(&buf, r, excerpts); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".advisor-*.html")
	if err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file 0600; a report is meant to be shared (a CI
	// artifact, a web server), readable like the -o report.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write HTML report: %w", err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("write HTML report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
