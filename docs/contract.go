// Package docs holds advisor's user documentation and its JSON contracts:
// docs/report-schema.md describes them, and the JSON Schemas beside it are the
// machine-checkable form. The Go code here only embeds those schemas so that
// tests validate output against the repository's own copy; no binary links it.
package docs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed advisor-v1.schema.json
var reportSchema []byte

//go:embed advisor-ci-v1.schema.json
var ciSchema []byte

// ValidateReport checks that doc is a valid advisor/v1 report.
func ValidateReport(doc []byte) error {
	return validate(reportSchema, "advisor-v1.schema.json", "advisor/v1", doc)
}

// ValidateCI checks that doc is a valid advisor-ci/v1 result (the JSON of
// advisor ci and advisor compare).
func ValidateCI(doc []byte) error {
	return validate(ciSchema, "advisor-ci-v1.schema.json", "advisor-ci/v1", doc)
}

func validate(schema []byte, name, contract string, doc []byte) error {
	var raw any
	if err := json.Unmarshal(schema, &raw); err != nil {
		return fmt.Errorf("parse embedded schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, raw); err != nil {
		return fmt.Errorf("load schema %s: %w", name, err)
	}
	s, err := c.Compile(name)
	if err != nil {
		return fmt.Errorf("compile schema %s: %w", name, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("document is not JSON: %w", err)
	}
	if err := s.Validate(inst); err != nil {
		// %#v lists every failing location, not only the root.
		return fmt.Errorf("document does not match %s: %#v", contract, err)
	}
	return nil
}
