package report_test

import (
	"encoding/json"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"
)

func TestEmptyReportMatchesSchema(t *testing.T) {
	b, err := json.Marshal(report.NewReport())
	if err != nil {
		t.Fatal(err)
	}
	if err := docs.ValidateReport(b); err != nil {
		t.Fatalf("empty report: %v\n%s", err, b)
	}
}

func TestSchemaRejectsBadClass(t *testing.T) {
	r := report.NewReport()
	r.Summary = &report.Summary{Class: "fast", Breakdown: report.Breakdown{report.StateCPU: 1}}
	b, _ := json.Marshal(r)
	if err := docs.ValidateReport(b); err == nil {
		t.Fatalf("class %q accepted by the schema", "fast")
	}
}
