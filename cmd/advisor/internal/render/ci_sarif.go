package render

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/advisor-dev/advisor/analyze/report"
)

// SARIF 2.1.0 with one result per new finding in hot code (what code
// scanning can annotate); benchmark regressions have no source location.
func writeCISARIF(w io.Writer, o *report.CI) error {
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
