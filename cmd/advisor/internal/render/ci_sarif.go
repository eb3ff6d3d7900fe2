package render

import (
	"io"

	"github.com/advisor-dev/advisor/analyze/report"
)

// writeCISARIF writes one SARIF result per new finding in hot code (what
// code scanning can annotate); benchmark regressions have no source
// location. The encoder is lint's (WriteSARIF).
func writeCISARIF(w io.Writer, o *report.CI) error {
	var s SARIF
	seen := map[string]bool{}
	for _, f := range o.NewFindings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			s.Rules = append(s.Rules, SARIFRule{ID: f.Rule, ShortDescription: f.Rule + " (" + f.Category + ")",
				HelpURI: "https://pkg.go.dev/github.com/advisor-dev/advisor/rules/" + f.Rule})
		}
		props := map[string]any{"recommendation": f.Recommendation}
		if f.HotShare != nil {
			props["hot_share"] = *f.HotShare
		}
		s.Results = append(s.Results, SARIFResult{Rule: f.Rule, Level: "warning", Message: f.Message,
			File: f.File, Line: f.Line, Column: f.Column, EndLine: f.EndLine, Properties: props})
	}
	return WriteSARIF(w, s)
}
