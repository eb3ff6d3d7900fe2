package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
)

// ShowOptions say which findings of a Result advisor lint shows.
type ShowOptions struct {
	// All shows every finding; those hidden otherwise carry their reason
	// in Finding.Hidden.
	All bool
	// Share, when not nil, gives a finding's share of a CPU profile's
	// samples (0 to 1): findings are then ranked by share, and those below
	// MinShare are hidden as HiddenCold; the static reasons do not apply
	// (the profile knows better).
	Share    func(report.Finding) float64
	MinShare float64
	// Profiled, when not nil, says whether the profile sampled any code
	// of a finding's package: one under MinShare in a package it never
	// sampled is hidden as HiddenUnprofiled, not HiddenCold (the profile
	// did not run that code; it does not say the code is cold).
	Profiled func(report.Finding) bool
}

// Shown is the part of a Result that is shown.
type Shown struct {
	// Result holds the shown findings (ranked by share with a profile, by
	// position without) and their fixes; the other fields are the
	// original's.
	*Result
	// Hidden counts the findings left out, per reason.
	Hidden map[string]int
}

// Show selects and orders the findings to show. The vet tool and the
// golangci-lint plugin do not call it: a vet tool has no --all, so they
// report every finding.
func (res *Result) Show(o ShowOptions) Shown {
	type item struct {
		i      int
		f      report.Finding
		reason string
	}
	var items []item
	hidden := make(map[string]int)
	for i, f := range res.Findings {
		reason := ""
		if i < len(res.Hidden) {
			reason = res.Hidden[i]
		}
		if o.Share != nil {
			s := o.Share(f)
			f.HotShare = &s
			reason = ""
			if s < o.MinShare {
				reason = HiddenCold
				if o.Profiled != nil && !o.Profiled(f) {
					reason = HiddenUnprofiled
				}
			}
		}
		if reason != "" && !o.All {
			hidden[reason]++
			continue
		}
		f.Hidden = reason
		items = append(items, item{i, f, reason})
	}
	if o.Share != nil {
		slices.SortStableFunc(items, func(a, b item) int { return cmp.Compare(*b.f.HotShare, *a.f.HotShare) })
	}
	out := *res
	out.Findings = make([]report.Finding, len(items))
	out.Hidden = make([]string, len(items))
	out.Fixes = nil
	index := make(map[int]int, len(items)) // old finding index -> new
	for j, it := range items {
		out.Findings[j] = it.f
		out.Hidden[j] = it.reason
		index[it.i] = j
	}
	for _, fx := range res.Fixes {
		if j, ok := index[fx.Finding]; ok {
			fx.Finding = j
			out.Fixes = append(out.Fixes, fx)
		}
	}
	slices.SortFunc(out.Fixes, func(a, b Fix) int { return cmp.Compare(a.Finding, b.Finding) })
	return Shown{Result: &out, Hidden: hidden}
}

// reasonLabel names a reason in the summary line, plural.
var reasonLabel = map[string]string{
	HiddenTest:        "tests",
	HiddenInit:        "init",
	HiddenStringer:    "String methods",
	HiddenErrorPath:   "error paths",
	HiddenSmallLoop:   "small loops",
	HiddenFileIO:      "file I/O without a profile",
	HiddenCold:        "cold",
	HiddenUnprofiled:  "not in the profile",
	HiddenHelper:      "test helpers",
	HiddenDebug:       "debug output",
	HiddenGenerator:   "generators",
	HiddenColdCallers: "cold callers",
	HiddenSerialized:  "serialized slices",
	HiddenHelp:        "help text",
	HiddenGenerated:   "generated files",
	HiddenOnce:        "once per call",
	HiddenMicro:       "micro-optimizations without a profile",
}

// Summary is the one line that counts the hidden findings, e.g. "12
// findings hidden (tests 7, error paths 3, small loops 2); --all shows
// them", or "" when none is hidden.
func (s Shown) Summary() string {
	n := 0
	type kv struct {
		k string
		v int
	}
	var parts []kv
	for k, v := range s.Hidden {
		n += v
		parts = append(parts, kv{k, v})
	}
	if n == 0 {
		return ""
	}
	slices.SortFunc(parts, func(a, b kv) int { return cmp.Or(cmp.Compare(b.v, a.v), cmp.Compare(a.k, b.k)) })
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", cmp.Or(reasonLabel[p.k], p.k), p.v)
	}
	what := "findings"
	if n == 1 {
		what = "finding"
	}
	return fmt.Sprintf("%d %s hidden (%s); --all shows them", n, what, b.String())
}
