package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
)

// writeLint renders a lint result in the chosen format.
func writeLint(w io.Writer, res *lint.Result, format string, rules []all.Rule, dir string) error {
	switch format {
	case "json":
		return writeJSON(w, lintReport(res))
	case "sarif":
		return writeLintSARIF(w, res, rules)
	default:
		return writeLintText(w, res, dir)
	}
}

// writeLintText prints one line per finding and bad directive, in file
// order, as go vet does: path:line:col: message (rule).
func writeLintText(w io.Writer, res *lint.Result, dir string) error {
	type line struct {
		file      string
		line, col int
		text      string
	}
	lines := make([]line, 0, len(res.Findings)+len(res.DirectiveErrors))
	for _, f := range res.Findings {
		lines = append(lines, line{f.File, f.Line, f.Column, fmt.Sprintf("%s (%s)", f.Message, f.Rule)})
	}
	for _, d := range res.DirectiveErrors {
		lines = append(lines, line{d.File, d.Line, d.Column, fmt.Sprintf("%s (%s)", d.Message, lint.IgnoreRule)})
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
	})
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s:%d:%d: %s\n", displayPath(res.Root, dir, l.file), l.line, l.col, l.text)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// lintReport is the advisor/v1 report of a lint run: findings without hot
// shares, errors for packages not analyzed and malformed directives.
func lintReport(res *lint.Result) *report.Report {
	r := report.NewReport()
	r.Findings = append(r.Findings, res.Findings...)
	r.Errors = append(r.Errors, res.PackageErrors...)
	for _, d := range res.DirectiveErrors {
		r.Errors = append(r.Errors, d.String()+" ("+lint.IgnoreRule+")")
	}
	return r
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
	Invocations        []sarifInvocation        `json:"invocations"`
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
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	HelpURI              string            `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig       `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string            `json:"ruleId"`
	RuleIndex  int               `json:"ruleIndex"`
	Level      string            `json:"level"`
	Message    sarifText         `json:"message"`
	Locations  []sarifLocation   `json:"locations"`
	Properties map[string]string `json:"properties,omitempty"`
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

// writeLintSARIF writes the result as a SARIF 2.1.0 log: every selected
// rule with its documentation, one result per finding (locations relative
// to %SRCROOT%, the module root), package errors as notifications.
func writeLintSARIF(w io.Writer, res *lint.Result, rules []all.Rule) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "advisor",
			InformationURI: "https://github.com/advisor-dev/advisor",
		}},
		OriginalURIBaseIDs: map[string]sarifArtifact{"%SRCROOT%": {URI: fileURI(filepath.ToSlash(res.Root)) + "/"}},
		Results:            []sarifResult{},
	}
	index := make(map[string]int)
	addRule := func(name, doc, url, category string) {
		index[name] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   name,
			Name:                 name,
			ShortDescription:     sarifText{ruleTitle(name, doc)},
			FullDescription:      sarifText{firstParagraph(doc)},
			Help:                 sarifText{doc},
			HelpURI:              url,
			DefaultConfiguration: sarifConfig{Level: "warning"},
			Properties:           map[string]string{"category": category},
		})
	}
	for _, r := range rules {
		addRule(r.Analyzer.Name, r.Analyzer.Doc, r.Analyzer.URL, r.Category)
	}
	as := lint.Analyzers(nil)
	dirs := as[len(as)-1]
	addRule(dirs.Name, dirs.Doc, dirs.URL, "suppression")

	location := func(file string, line, col int, function string) sarifLocation {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: file, URIBaseID: "%SRCROOT%"},
			Region:           sarifRegion{StartLine: line, StartColumn: col},
		}}
		if strings.HasPrefix(file, "/") { // outside the module root
			loc.PhysicalLocation.ArtifactLocation = sarifArtifact{URI: fileURI(file)}
		}
		if function != "" {
			loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: function, Kind: "function"}}
		}
		return loc
	}
	for _, f := range res.Findings {
		run.Results = append(run.Results, sarifResult{
			RuleID:     f.Rule,
			RuleIndex:  index[f.Rule],
			Level:      "warning",
			Message:    sarifText{f.Message},
			Locations:  []sarifLocation{location(f.File, f.Line, f.Column, f.Function)},
			Properties: map[string]string{"category": f.Category, "recommendation": f.Recommendation},
		})
	}
	for _, d := range res.DirectiveErrors {
		run.Results = append(run.Results, sarifResult{
			RuleID:    dirs.Name,
			RuleIndex: index[dirs.Name],
			Level:     "warning",
			Message:   sarifText{d.Message},
			Locations: []sarifLocation{location(d.File, d.Line, d.Column, "")},
		})
	}
	inv := sarifInvocation{ExecutionSuccessful: len(res.PackageErrors) == 0}
	for _, pe := range res.PackageErrors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifText{pe}})
	}
	run.Invocations = []sarifInvocation{inv}
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

// firstParagraph is the paragraph of a rule's Doc after its title line.
func firstParagraph(doc string) string {
	_, body, _ := strings.Cut(doc, "\n\n")
	p, _, _ := strings.Cut(strings.TrimSpace(body), "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

// fileURI is the file: URI of an absolute slash-separated path.
func fileURI(path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // Windows drive letters: file:///C:/...
	}
	return "file://" + path
}
