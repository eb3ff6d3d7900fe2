package analyze

import (
	"encoding/json"
	"testing"
)

func TestEmptyReportMatchesSchema(t *testing.T) {
	b, err := json.Marshal(NewReport())
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateJSON(b); err != nil {
		t.Fatalf("empty report: %v\n%s", err, b)
	}
}

func TestSchemaRejectsBadClass(t *testing.T) {
	r := NewReport()
	r.Summary = &Summary{Class: "fast", Breakdown: Breakdown{StateCPU: 1}}
	b, _ := json.Marshal(r)
	if err := ValidateJSON(b); err == nil {
		t.Fatalf("class %q accepted by the schema", "fast")
	}
}
