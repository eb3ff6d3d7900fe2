package lint

import (
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/internal/ignore"
	"golang.org/x/tools/go/analysis"
)

// Suppression directives, for renderers and documentation.
const (
	// IgnorePrefix starts a suppression directive:
	// //advisor:ignore rule[,rule] reason.
	IgnorePrefix = ignore.Prefix
	// IgnoreRule is the rule id under which malformed directives are reported.
	IgnoreRule = ignore.DirectivesName
)

// Analyzers returns the analyzers of rules, each wrapped so that
// //advisor:ignore directives suppress its diagnostics, followed by the
// analyzer that reports malformed directives. Run uses them; advisor-vet
// hands them to unitchecker, so both honor the same directives.
func Analyzers(rules []all.Rule) []*analysis.Analyzer {
	raw := make([]*analysis.Analyzer, len(rules))
	for i, r := range rules {
		raw[i] = r.Analyzer
	}
	wrapped, dirs := ignore.WrapAll(raw)
	return append(wrapped, dirs)
}
