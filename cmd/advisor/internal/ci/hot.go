package ci

import (
	"fmt"

	"github.com/advisor-dev/advisor/analyze/advise"
	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

// Hot holds the CPU shares measured by CPU profiles of benchmark runs, to
// tell hot findings from cold ones. It reads them as advisor lint does
// (advise.FindingShare: the samples on the finding's lines, or on its
// function for recursion), and also counts a finding as hot when its
// function's self time is: a CI gate guards hot functions, and a new
// finding in one is worth a look even where its own line took few samples.
type Hot struct {
	ix *advise.SampleIndex // nil without profiles
}

// NewHot indexes the union of profiles, merged with profile.Merge (their
// CPU values add up, so longer runs weigh more), with the files of root
// named relative to it as findings name them. Profiles without samples
// contribute nothing.
func NewHot(profiles []*profile.Profile, root string) (*Hot, error) {
	if len(profiles) == 0 {
		return &Hot{}, nil
	}
	// Merge copies; the callers' profiles stay as they were.
	p, err := profile.Merge(profiles)
	if err != nil {
		return nil, fmt.Errorf("merging CPU profiles: %w", err)
	}
	ix, err := advise.IndexProfile(p, root)
	if err != nil {
		return nil, fmt.Errorf("CPU profile: %w", err)
	}
	return &Hot{ix: ix}, nil
}

// Share returns the measured share of a finding: advisor lint's share of
// its code, or the self share of its function, whichever is larger.
func (h *Hot) Share(f report.Finding) float64 {
	if h.ix == nil {
		return 0
	}
	share := advise.FindingShare(h.ix, f)
	if f.Function != "" {
		share = max(share, h.ix.Fraction(h.ix.Func(f.Function).Flat))
	}
	return share
}

// NewFindings returns the findings of head that base does not have,
// like golangci-lint's new-from-rev. Findings are matched by rule, file,
// function and message (not line, which shifts with unrelated edits), as a
// multiset: a second identical finding in head is new.
func NewFindings(base, head []report.Finding) []report.Finding {
	type key struct{ rule, file, fn, msg string }
	have := map[key]int{}
	for _, f := range base {
		have[key{f.Rule, f.File, f.Function, f.Message}]++
	}
	var out []report.Finding
	for _, f := range head {
		k := key{f.Rule, f.File, f.Function, f.Message}
		if have[k] > 0 {
			have[k]--
			continue
		}
		out = append(out, f)
	}
	return out
}
