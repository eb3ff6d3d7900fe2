package docs

import (
	"strings"
	"testing"
)

// TestValidateCIRejects checks that the advisor-ci/v1 schema is not vacuous:
// each document breaks one rule of the contract.
func TestValidateCIRejects(t *testing.T) {
	const ok = `{"schema":"advisor-ci/v1","base":"a","head":"b","alpha":0.05,"threshold":0.05,
		"comparison":{"base":"a","head":"b","alpha":0.05,"confidence":0.95,"tables":[]},
		"verdicts":[{"name":"X","unit":"sec/op","status":"noisy","change":null,"p":1,"threshold":0,"reason":"r"}],
		"regressions":0,"new_findings":[],"errors":[]}`
	if err := ValidateCI([]byte(ok)); err != nil {
		t.Fatalf("valid document rejected: %v", err)
	}
	for _, bad := range []struct{ old, new string }{
		{`"advisor-ci/v1"`, `"advisor/v1"`},
		{`"status":"noisy"`, `"status":"flaky"`},
		{`"regressions":0`, `"regressions":-1`},
		{`"new_findings":[]`, `"new_findings":null`},
		{`"alpha":0.05,"threshold"`, `"alpha":1,"threshold"`},
	} {
		doc := strings.Replace(ok, bad.old, bad.new, 1)
		if err := ValidateCI([]byte(doc)); err == nil {
			t.Errorf("%s → %s: accepted", bad.old, bad.new)
		}
	}
}
