package analyze

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaV1 is the project's own copy of the advisor/v1 JSON Schema, so that
// validation never reaches outside the repository.
//
//go:embed advisor-v1.schema.json
var schemaV1 []byte

// ValidateJSON checks that doc is a valid advisor/v1 report.
func ValidateJSON(doc []byte) error {
	var raw any
	if err := json.Unmarshal(schemaV1, &raw); err != nil {
		return fmt.Errorf("parse embedded schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("advisor-v1.schema.json", raw); err != nil {
		return fmt.Errorf("load schema: %w", err)
	}
	s, err := c.Compile("advisor-v1.schema.json")
	if err != nil {
		return fmt.Errorf("compile schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("report is not JSON: %w", err)
	}
	if err := s.Validate(inst); err != nil {
		// %#v lists every failing location, not only the root.
		return fmt.Errorf("report does not match advisor/v1: %#v", err)
	}
	return nil
}
