package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"

	"golang.org/x/perf/benchunit"
)

// CIFormats lists the output formats of ci and compare.
var CIFormats = []string{"text", "markdown", "json", "junit", "sarif"}

// WriteCI renders o in format.
func WriteCI(w io.Writer, o *report.CI, format string) error {
	switch format {
	case "text":
		return writeCIText(w, o)
	case "markdown":
		return writeCIMarkdown(w, o)
	case "json":
		return writeCIJSON(w, o)
	case "junit":
		return writeCIJUnit(w, o)
	case "sarif":
		return writeCISARIF(w, o)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(CIFormats, ", "))
}

// ciVerdictsByStatus returns the verdicts with a status in statuses, in
// comparison order.
func ciVerdictsByStatus(o *report.CI, statuses ...string) []report.Verdict {
	var out []report.Verdict
	for _, v := range o.Verdicts {
		if slices.Contains(statuses, v.Status) {
			out = append(out, v)
		}
	}
	return out
}

func ciChange(v report.Verdict) string {
	if v.Change == nil {
		return "+∞"
	}
	return fmt.Sprintf("%+.2f%%", *v.Change*100)
}

// ciHeadline is the one-line result.
func ciHeadline(o *report.CI) string {
	var parts []string
	if o.Regressions > 0 {
		parts = append(parts, ciPlural(o.Regressions, "regression"))
	}
	if n := len(o.NewFindings); n > 0 {
		parts = append(parts, ciPlural(n, "new finding")+" in hot code")
	}
	if len(parts) == 0 {
		for _, v := range o.Verdicts {
			if v.Status == report.StatusUndecided {
				return "no regression found, but some benchmarks could not be decided (too few samples)"
			}
		}
		return fmt.Sprintf("no regressions (α=%v, threshold %s)", o.Alpha, ciPct(o.Threshold))
	}
	return strings.Join(parts, ", ")
}

func ciPlural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func ciPct(f float64) string { return fmt.Sprintf("%.4g%%", f*100) }

func writeCIText(w io.Writer, o *report.CI) error {
	var b bytes.Buffer
	if err := WriteBenchTable(&b, o.Comparison); err != nil {
		return err
	}
	b.WriteString("\n")
	for _, v := range ciVerdictsByStatus(o, report.StatusRegression, report.StatusUnconfirmed, report.StatusUndecided, report.StatusNoisy, report.StatusImprovement) {
		fmt.Fprintf(&b, "%-11s %s %s: %s\n", v.Status, v.Name, v.Unit, v.Reason)
	}
	for _, f := range o.NewFindings {
		fmt.Fprintf(&b, "new finding %s:%d: %s: %s\n", f.File, f.Line, f.Rule, f.Message)
	}
	for _, e := range o.Errors {
		fmt.Fprintf(&b, "warning: %s\n", e)
	}
	fmt.Fprintf(&b, "advisor: %s\n", ciHeadline(o))
	_, err := w.Write(b.Bytes())
	return err
}

func writeCIJSON(w io.Writer, o *report.CI) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(o); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	return nil
}

// writeCIMarkdown writes a PR comment: the verdict, regressions first, then
// the full benchstat table collapsed.
func writeCIMarkdown(w io.Writer, o *report.CI) error {
	var b bytes.Buffer
	icon := "✅"
	if o.Regressions > 0 || len(o.NewFindings) > 0 {
		icon = "❌"
	}
	fmt.Fprintf(&b, "### %s advisor ci: %s\n\n", icon, ciHeadline(o))
	fmt.Fprintf(&b, "Base `%s` vs head `%s`.\n\n", ciMDCode(o.Base), ciMDCode(o.Head))
	table := func(title string, vs []report.Verdict) {
		if len(vs) == 0 {
			return
		}
		fmt.Fprintf(&b, "**%s**\n\n| benchmark | unit | base | head | change | p | |\n|---|---|--:|--:|--:|--:|---|\n", title)
		for _, v := range vs {
			row := o.Comparison.Tables[v.Table].Rows[v.Row]
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %.3f | %s |\n",
				ciMDCode(v.Name), v.Unit, ciCenter(row.Base, v.Unit), ciCenter(row.Head, v.Unit), ciChange(v), v.P, ciMDEscape(v.Reason))
		}
		b.WriteString("\n")
	}
	table("Regressions", ciVerdictsByStatus(o, report.StatusRegression))
	table("Not confirmed by a second run", ciVerdictsByStatus(o, report.StatusUnconfirmed))
	table("Could not decide", ciVerdictsByStatus(o, report.StatusUndecided))
	table("Not compared: varies between rounds", ciVerdictsByStatus(o, report.StatusNoisy))
	if len(o.NewFindings) > 0 {
		b.WriteString("**New findings in hot code**\n\n")
		for _, f := range o.NewFindings {
			share := ""
			if f.HotShare != nil {
				share = fmt.Sprintf(" (%.1f%% of CPU)", *f.HotShare*100)
			}
			fmt.Fprintf(&b, "- `%s:%d` %s: %s%s\n", ciMDCode(f.File), f.Line, f.Rule, ciMDEscape(f.Message), share)
		}
		b.WriteString("\n")
	}
	table("Improvements", ciVerdictsByStatus(o, report.StatusImprovement))
	var text bytes.Buffer
	if err := WriteBenchTable(&text, o.Comparison); err != nil {
		return err
	}
	fmt.Fprintf(&b, "<details><summary>All benchmarks (%d)</summary>\n\n```\n%s```\n\n</details>\n", len(o.Verdicts), text.String())
	for _, e := range o.Errors {
		fmt.Fprintf(&b, "\n> warning: %s\n", ciMDEscape(e))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ciCenter formats a median as benchstat does (e.g. 2.400µ for sec/op).
func ciCenter(c *report.Cell, unit string) string {
	if c == nil {
		return "—"
	}
	return benchunit.Scale(c.Center, benchunit.ClassOf(unit))
}

// ciMDCode keeps backticks from ending a code span.
func ciMDCode(s string) string { return strings.ReplaceAll(s, "`", "'") }

// ciMDEscape keeps text from breaking a table cell or starting markup.
func ciMDEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
