package render

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

func TestWriteCISARIFFindings(t *testing.T) {
	share := 0.42
	o := &report.CI{NewFindings: []report.Finding{{
		Rule: "prealloc", Category: "alloc", File: "work/work.go", Line: 7, Column: 2,
		Message: "out grows by append in a loop of known length", HotShare: &share, Recommendation: "prealloc",
	}}}
	var b bytes.Buffer
	if err := writeCISARIF(&b, o); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }                 `json:"artifactLocation"`
						Region           struct{ StartLine, StartColumn int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	r := doc.Runs[0].Results[0]
	loc := r.Locations[0].PhysicalLocation
	if r.RuleID != "prealloc" || doc.Runs[0].Tool.Driver.Rules[0].ID != "prealloc" || loc.ArtifactLocation.URI != "work/work.go" ||
		loc.Region.StartLine != 7 || loc.Region.StartColumn != 2 || r.Properties["hot_share"] != 0.42 {
		t.Errorf("SARIF result %+v", r)
	}
}
