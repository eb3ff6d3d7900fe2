package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// SARIF is the input of the one SARIF encoder: what a code-scanning tool
// needs to annotate source, independent of what produced it (advisor lint
// findings, new hot findings of advisor ci).
type SARIF struct {
	// Rules describe the rules results may name, in the order listed.
	Rules []SARIFRule
	// Results are the annotations.
	Results []SARIFResult
	// Root, when set, is the absolute slash-separated directory that
	// relative result files are relative to (%SRCROOT%).
	Root string
	// Errors are problems of the run itself (e.g. packages not analyzed);
	// any makes the invocation unsuccessful. Invocations are written only
	// when Invocation is true.
	Errors     []string
	Invocation bool
}

// SARIFRule describes one rule (a reportingDescriptor).
type SARIFRule struct {
	ID               string
	Name             string // optional
	ShortDescription string
	FullDescription  string // optional
	Help             string // optional
	HelpURI          string // optional
	Level            string // the default level, optional: "warning", "error", "note"
	Properties       map[string]any
}

// SARIFResult is one annotation at a place in the source.
type SARIFResult struct {
	Rule    string // a SARIFRule's ID
	Level   string // "warning", "error" or "note"
	Message string
	// File is relative to SARIF.Root (slash-separated), or absolute for
	// files outside it.
	File         string
	Line, Column int    // 1-based; Column 0 is unknown
	EndLine      int    // optional: the last line, when the code spans several
	Function     string // optional: the enclosing function, fully qualified
	Properties   map[string]any
}

// SARIF 2.1.0, the subset code scanning reads
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html).
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult            `json:"results"`
	Invocations        []sarifInvocation        `json:"invocations,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      *sarifText     `json:"fullDescription,omitempty"`
	Help                 *sarifText     `json:"help,omitempty"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifConfig   `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  *int            `json:"ruleIndex,omitempty"`
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

// srcRoot is the base id of relative locations, as GitHub code scanning
// and other SARIF consumers expect.
const srcRoot = "%SRCROOT%"

// WriteSARIF writes s as a SARIF 2.1.0 log with one run of the tool
// "advisor": its rules, one result per s.Results (relative files under
// %SRCROOT%, absolute ones as file: URIs) and, if asked, the invocation with
// s.Errors as error notifications.
func WriteSARIF(w io.Writer, s SARIF) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "advisor",
			InformationURI: "https://github.com/advisor-dev/advisor",
			Rules:          []sarifRule{},
		}},
		Results: []sarifResult{},
	}
	if s.Root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{srcRoot: {URI: fileURI(strings.TrimSuffix(s.Root, "/")) + "/"}}
	}
	index := make(map[string]int, len(s.Rules))
	for _, r := range s.Rules {
		index[r.ID] = len(run.Tool.Driver.Rules)
		sr := sarifRule{ID: r.ID, Name: r.Name, ShortDescription: sarifText{r.ShortDescription}, HelpURI: r.HelpURI, Properties: r.Properties}
		if r.FullDescription != "" {
			sr.FullDescription = &sarifText{r.FullDescription}
		}
		if r.Help != "" {
			sr.Help = &sarifText{r.Help}
		}
		if r.Level != "" {
			sr.DefaultConfiguration = &sarifConfig{Level: r.Level}
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sr)
	}
	for _, r := range s.Results {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: r.File, URIBaseID: srcRoot},
			// SARIF lines start at 1; a result without a line is about
			// the file.
			Region: sarifRegion{StartLine: max(r.Line, 1), StartColumn: max(r.Column, 0)},
		}}
		if r.EndLine > loc.PhysicalLocation.Region.StartLine {
			loc.PhysicalLocation.Region.EndLine = r.EndLine
		}
		if strings.HasPrefix(r.File, "/") { // outside the root
			loc.PhysicalLocation.ArtifactLocation = sarifArtifact{URI: fileURI(r.File)}
		}
		if r.Function != "" {
			loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: r.Function, Kind: "function"}}
		}
		res := sarifResult{RuleID: r.Rule, Level: r.Level, Message: sarifText{r.Message}, Locations: []sarifLocation{loc}, Properties: r.Properties}
		if i, ok := index[r.Rule]; ok {
			res.RuleIndex = &i
		}
		run.Results = append(run.Results, res)
	}
	if s.Invocation {
		inv := sarifInvocation{ExecutionSuccessful: len(s.Errors) == 0}
		for _, e := range s.Errors {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifText{e}})
		}
		run.Invocations = []sarifInvocation{inv}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}); err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	return nil
}

// fileURI is the file: URI of an absolute slash-separated path.
func fileURI(path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // Windows drive letters: file:///C:/...
	}
	return "file://" + path
}
