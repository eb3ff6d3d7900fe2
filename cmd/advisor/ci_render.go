package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/advisor-dev/advisor/analyze"
	"golang.org/x/perf/benchunit"
)

// ciOutcome is everything `advisor ci` and `advisor compare` decided; the
// renderers below only format it.
type ciOutcome struct {
	Schema     string                   `json:"schema"`
	Base       string                   `json:"base"`
	Head       string                   `json:"head"`
	Alpha      float64                  `json:"alpha"`
	Threshold  float64                  `json:"threshold"`
	Comparison *analyze.BenchComparison `json:"comparison"`
	Verdicts   []analyze.BenchVerdict   `json:"verdicts"`
	// Regressions counts confirmed regressions (benchmark × unit).
	Regressions int `json:"regressions"`
	// NewFindings are lint findings on hot lines of head that base does not
	// have (nil when not computed).
	NewFindings []report.Finding `json:"new_findings"`
	// Errors are non-fatal problems (e.g. no profile for hot-code findings).
	Errors []string `json:"errors"`
}

// ciSchema names the JSON document of `advisor ci --format json`.
const ciSchema = "advisor-ci/v1"

// ciFormats lists the output formats of ci and compare.
var ciFormats = []string{"text", "markdown", "json", "junit", "sarif"}

// writeCI renders o in format.
func writeCI(w io.Writer, o *ciOutcome, format string) error {
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
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(ciFormats, ", "))
}

// ciVerdictsByStatus returns the verdicts with a status in statuses, in
// comparison order.
func ciVerdictsByStatus(o *ciOutcome, statuses ...string) []analyze.BenchVerdict {
	var out []analyze.BenchVerdict
	for _, v := range o.Verdicts {
		if slices.Contains(statuses, v.Status) {
			out = append(out, v)
		}
	}
	return out
}

func ciChange(v analyze.BenchVerdict) string {
	if v.Change == nil {
		return "+∞"
	}
	return fmt.Sprintf("%+.2f%%", *v.Change*100)
}

// ciHeadline is the one-line result.
func ciHeadline(o *ciOutcome) string {
	var parts []string
	if o.Regressions > 0 {
		parts = append(parts, ciPlural(o.Regressions, "regression"))
	}
	if n := len(o.NewFindings); n > 0 {
		parts = append(parts, ciPlural(n, "new finding")+" in hot code")
	}
	if len(parts) == 0 {
		for _, v := range o.Verdicts {
			if v.Status == analyze.BenchUndecided {
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

func writeCIText(w io.Writer, o *ciOutcome) error {
	var b bytes.Buffer
	if err := writeCompareText(&b, o.Comparison); err != nil {
		return err
	}
	b.WriteString("\n")
	for _, v := range ciVerdictsByStatus(o, analyze.BenchRegression, analyze.BenchUnconfirmed, analyze.BenchUndecided, analyze.BenchImprovement) {
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

func writeCIJSON(w io.Writer, o *ciOutcome) error {
	doc := *o
	doc.Schema = ciSchema
	if doc.Verdicts == nil {
		doc.Verdicts = []analyze.BenchVerdict{}
	}
	if doc.NewFindings == nil {
		doc.NewFindings = []report.Finding{}
	}
	if doc.Errors == nil {
		doc.Errors = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	return nil
}

// writeCIMarkdown writes a PR comment: the verdict, regressions first, then
// the full benchstat table collapsed.
func writeCIMarkdown(w io.Writer, o *ciOutcome) error {
	var b bytes.Buffer
	icon := "✅"
	if o.Regressions > 0 || len(o.NewFindings) > 0 {
		icon = "❌"
	}
	fmt.Fprintf(&b, "### %s advisor ci: %s\n\n", icon, ciHeadline(o))
	fmt.Fprintf(&b, "Base `%s` vs head `%s`.\n\n", ciMDCode(o.Base), ciMDCode(o.Head))
	table := func(title string, vs []analyze.BenchVerdict) {
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
	table("Regressions", ciVerdictsByStatus(o, analyze.BenchRegression))
	table("Not confirmed by a second run", ciVerdictsByStatus(o, analyze.BenchUnconfirmed))
	table("Could not decide", ciVerdictsByStatus(o, analyze.BenchUndecided))
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
	table("Improvements", ciVerdictsByStatus(o, analyze.BenchImprovement))
	var text bytes.Buffer
	if err := writeCompareText(&text, o.Comparison); err != nil {
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
func ciCenter(c *analyze.BenchCell, unit string) string {
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

// JUnit XML: one test case per benchmark; it fails when any of its units
// regressed.
type ciJUnitSuites struct {
	XMLName  xml.Name       `xml:"testsuites"`
	Name     string         `xml:"name,attr"`
	Tests    int            `xml:"tests,attr"`
	Failures int            `xml:"failures,attr"`
	Suites   []ciJUnitSuite `xml:"testsuite"`
}

type ciJUnitSuite struct {
	Name     string        `xml:"name,attr"`
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Cases    []ciJUnitCase `xml:"testcase"`
}

type ciJUnitCase struct {
	Name      string       `xml:"name,attr"`
	Classname string       `xml:"classname,attr"`
	Failure   *ciJUnitFail `xml:"failure,omitempty"`
	Skipped   *ciJUnitSkip `xml:"skipped,omitempty"`
	SystemOut string       `xml:"system-out,omitempty"`
}

type ciJUnitFail struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type ciJUnitSkip struct {
	Message string `xml:"message,attr"`
}

func writeCIJUnit(w io.Writer, o *ciOutcome) error {
	suite := ciJUnitSuite{Name: "advisor ci benchmarks"}
	index := map[string]int{}
	for _, v := range o.Verdicts {
		pkg := ""
		if t := o.Comparison.Tables[v.Table]; len(t.Config) > 0 {
			for _, c := range t.Config {
				if p, ok := strings.CutPrefix(c, "pkg: "); ok {
					pkg = p
				}
			}
		}
		key := pkg + "\x00" + v.Name
		i, ok := index[key]
		if !ok {
			i = len(suite.Cases)
			index[key] = i
			suite.Cases = append(suite.Cases, ciJUnitCase{Name: v.Name, Classname: pkg})
		}
		c := &suite.Cases[i]
		line := fmt.Sprintf("%s %s: %s (%s)\n", v.Unit, v.Status, v.Reason, ciChange(v))
		c.SystemOut += line
		switch v.Status {
		case analyze.BenchRegression:
			if c.Failure == nil {
				c.Failure = &ciJUnitFail{Type: "regression", Message: v.Unit + " " + ciChange(v)}
			} else {
				c.Failure.Message += "; " + v.Unit + " " + ciChange(v)
			}
			c.Failure.Text += line
		case analyze.BenchIgnored:
			c.Skipped = &ciJUnitSkip{Message: v.Reason}
		}
	}
	for i := range suite.Cases {
		c := &suite.Cases[i]
		if c.Failure != nil {
			c.Skipped = nil
			suite.Failures++
		} else if c.Skipped != nil {
			suite.Skipped++
		}
	}
	suite.Tests = len(suite.Cases)
	doc := ciJUnitSuites{Name: "advisor ci", Tests: suite.Tests, Failures: suite.Failures, Suites: []ciJUnitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// SARIF 2.1.0 with one result per new finding in hot code (what code
// scanning can annotate); benchmark regressions have no source location.
func writeCISARIF(w io.Writer, o *ciOutcome) error {
	type msg struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription msg    `json:"shortDescription"`
		HelpURI          string `json:"helpUri,omitempty"`
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	type artifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	type physical struct {
		ArtifactLocation artifact `json:"artifactLocation"`
		Region           region   `json:"region"`
	}
	type location struct {
		PhysicalLocation physical `json:"physicalLocation"`
	}
	type result struct {
		RuleID     string         `json:"ruleId"`
		Level      string         `json:"level"`
		Message    msg            `json:"message"`
		Locations  []location     `json:"locations"`
		Properties map[string]any `json:"properties,omitempty"`
	}
	var rules []rule
	seen := map[string]bool{}
	results := []result{}
	for _, f := range o.NewFindings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			rules = append(rules, rule{ID: f.Rule, ShortDescription: msg{f.Rule + " (" + f.Category + ")"},
				HelpURI: "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/" + f.Rule})
		}
		props := map[string]any{"recommendation": f.Recommendation}
		if f.HotShare != nil {
			props["hot_share"] = *f.HotShare
		}
		results = append(results, result{
			RuleID:  f.Rule,
			Level:   "warning",
			Message: msg{f.Message},
			Locations: []location{{PhysicalLocation: physical{
				ArtifactLocation: artifact{URI: f.File, URIBaseID: "%SRCROOT%"},
				Region:           region{StartLine: max(f.Line, 1), StartColumn: f.Column},
			}}},
			Properties: props,
		})
	}
	if rules == nil {
		rules = []rule{}
	}
	doc := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name":           "advisor",
				"informationUri": "https://github.com/advisor-dev/advisor",
				"rules":          rules,
			}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding SARIF: %w", err)
	}
	return nil
}
