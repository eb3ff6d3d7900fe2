package lint

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/rules/all"
)

// Select applies --rules (only) and --disable to rules, rejecting unknown
// names.
//
//advisor:ignore linearsearch the lists hold a few rule names
func Select(rules []all.Rule, only, disable []string) ([]all.Rule, error) {
	known := func(names []string, flag string) error {
		for _, n := range names {
			if !slices.ContainsFunc(rules, func(r all.Rule) bool { return r.Analyzer.Name == n }) {
				return fmt.Errorf("--%s: unknown rule %q (advisor lint --explain lists the rules)", flag, n)
			}
		}
		return nil
	}
	if err := errors.Join(known(only, "rules"), known(disable, "disable")); err != nil {
		return nil, err
	}
	var out []all.Rule
	for _, r := range rules {
		if (len(only) == 0 || slices.Contains(only, r.Analyzer.Name)) && !slices.Contains(disable, r.Analyzer.Name) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no rules left to run after --rules and --disable")
	}
	return out, nil
}

// FailPolicy decides from the findings whether advisor lint exits 1
// (--fail-on).
type FailPolicy struct {
	any, none bool
	match     []string // rule names, categories and kinds
}

// ParseFailOn reads --fail-on's spec; without one, output for people
// (humanOutput: text, not --diff) fails on any finding, like go vet, and
// machine formats never do, like go vet -json.
//
//advisor:ignore linearsearch a few values against a few dozen names
func ParseFailOn(spec string, humanOutput bool, rules []all.Rule) (FailPolicy, error) {
	if spec == "" {
		if humanOutput {
			return FailPolicy{any: true}, nil
		}
		return FailPolicy{none: true}, nil
	}
	valid := []string{
		report.CategoryRecursion, report.CategoryAlloc, report.CategoryLookup, report.CategoryConcurrency,
		report.KindCache, report.KindGoroutines, report.KindWorkers, report.KindProcesses, report.KindIterate,
		report.KindPrealloc, report.KindBuilder, report.KindHoist, report.KindReuse, report.KindLookupOnce,
		report.KindSet, report.KindStream,
	}
	for _, r := range rules {
		valid = append(valid, r.Analyzer.Name)
	}
	var p FailPolicy
	for v := range strings.SplitSeq(spec, ",") {
		switch v = strings.TrimSpace(v); {
		case v == "any":
			p.any = true
		case v == "none":
			p.none = true
		case slices.Contains(valid, v):
			p.match = append(p.match, v)
		default:
			return p, fmt.Errorf("--fail-on: %q is not a rule, category (recursion, alloc, lookup, concurrency), kind (cache, hoist, ...), \"any\" or \"none\"", v)
		}
	}
	if p.none && (p.any || len(p.match) > 0) {
		return p, errors.New(`--fail-on: "none" cannot be combined with other values`)
	}
	return p, nil
}

// Fails reports whether res should exit 1. After --fix (fixed), only
// findings left without a fix count.
//
//advisor:ignore linearsearch p.match holds the few values of --fail-on
func (p FailPolicy) Fails(res *Result, fixed bool) bool {
	if p.none {
		return false
	}
	if p.any && len(res.DirectiveErrors) > 0 {
		return true
	}
	hasFix := make(map[int]bool)
	if fixed {
		for _, f := range res.Fixes {
			hasFix[f.Finding] = true
		}
	}
	for i, f := range res.Findings {
		if hasFix[i] {
			continue
		}
		if p.any || slices.Contains(p.match, f.Rule) || slices.Contains(p.match, f.Category) || slices.Contains(p.match, f.Recommendation) {
			return true
		}
	}
	return false
}

// Report is the advisor/v1 report of a lint run: findings without hot
// shares, errors for packages not analyzed and malformed directives.
func (res *Result) Report() *report.Report {
	r := report.NewReport()
	r.Findings = append(r.Findings, res.Findings...)
	r.Errors = append(r.Errors, res.PackageErrors...)
	for _, d := range res.DirectiveErrors {
		r.Errors = append(r.Errors, d.String()+" ("+IgnoreRule+")")
	}
	return r
}
