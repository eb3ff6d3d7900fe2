// Package all lists advisor's analyzers and the metadata the report needs
// about each: the finding category of the contract (recursion, alloc, lookup,
// concurrency). The recommendation kind of each diagnostic travels in
// analysis.Diagnostic.Category.
package all

import (
	"golang.org/x/tools/go/analysis"

	"github.com/advisor-dev/advisor/rules/bufreuse"
	"github.com/advisor-dev/advisor/rules/deeprecursion"
	"github.com/advisor-dev/advisor/rules/equalfold"
	"github.com/advisor-dev/advisor/rules/hoistcompile"
	"github.com/advisor-dev/advisor/rules/hoistpure"
	"github.com/advisor-dev/advisor/rules/linearsearch"
	"github.com/advisor-dev/advisor/rules/lookuponce"
	"github.com/advisor-dev/advisor/rules/overlaprecursion"
	"github.com/advisor-dev/advisor/rules/prealloc"
	"github.com/advisor-dev/advisor/rules/readallstream"
	"github.com/advisor-dev/advisor/rules/repeatedio"
	"github.com/advisor-dev/advisor/rules/sequentialio"
	"github.com/advisor-dev/advisor/rules/sprintfconv"
	"github.com/advisor-dev/advisor/rules/stringconcat"
)

// Rule is one analyzer with its report category.
type Rule struct {
	Analyzer *analysis.Analyzer
	Category string // recursion | alloc | lookup | concurrency
}

// Rules returns every rule, in a stable order.
func Rules() []Rule {
	return []Rule{
		// Each rule package adds one line here, e.g.
		// {overlaprecursion.Analyzer, "recursion"},
		{bufreuse.Analyzer, "alloc"},
		{deeprecursion.Analyzer, "recursion"},
		{equalfold.Analyzer, "alloc"},
		{hoistcompile.Analyzer, "alloc"},
		{hoistpure.Analyzer, "lookup"},
		{linearsearch.Analyzer, "lookup"},
		{lookuponce.Analyzer, "lookup"},
		{overlaprecursion.Analyzer, "recursion"},
		{prealloc.Analyzer, "alloc"},
		{readallstream.Analyzer, "alloc"},
		{repeatedio.Analyzer, "lookup"},
		{sequentialio.Analyzer, "concurrency"},
		{sprintfconv.Analyzer, "alloc"},
		{stringconcat.Analyzer, "alloc"},
	}
}
