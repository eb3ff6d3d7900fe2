package ci

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

// Hot holds the CPU shares of source lines and functions measured by
// CPU profiles of benchmark runs, to tell hot findings from cold ones.
type Hot struct {
	// line maps "abs/file.go:line" to the share of samples whose stack
	// passes through that line (cumulative).
	line map[string]float64
	// flat maps a function name to the share of samples in which it is the
	// innermost frame (self time).
	flat map[string]float64
}

// NewHot computes line and function shares over the union of profiles,
// merged with profile.Merge (their CPU values add up, so longer runs weigh
// more). Profiles without samples contribute nothing.
func NewHot(profiles []*profile.Profile) (*Hot, error) {
	h := &Hot{line: map[string]float64{}, flat: map[string]float64{}}
	if len(profiles) == 0 {
		return h, nil
	}
	// Merge copies; the callers' profiles stay as they were.
	p, err := profile.Merge(profiles)
	if err != nil {
		return nil, fmt.Errorf("merging CPU profiles: %w", err)
	}
	// The cpu value, else pprof's default (the last one).
	vi, err := p.SampleIndexByName("cpu")
	if err != nil {
		if vi, err = p.SampleIndexByName(""); err != nil {
			return nil, fmt.Errorf("CPU profile: %w", err)
		}
	}
	total := 0.0
	for _, s := range p.Sample {
		w := float64(s.Value[vi])
		total += w
		seen := map[string]bool{}
		first := true
		for _, loc := range s.Location {
			for _, ln := range loc.Line {
				if ln.Function == nil {
					continue
				}
				if first {
					h.flat[ln.Function.Name] += w
					first = false
				}
				k := filepath.Clean(ln.Function.Filename) + ":" + strconv.FormatInt(ln.Line, 10)
				if !seen[k] {
					seen[k] = true
					h.line[k] += w
				}
			}
		}
	}
	if total > 0 {
		for k := range h.line {
			h.line[k] /= total
		}
		for k := range h.flat {
			h.flat[k] /= total
		}
	}
	return h, nil
}

// Share returns the measured share of a finding: the cumulative share of its
// line, or the self share of its function, whichever is larger. root is the
// directory the finding's file is relative to.
func (h *Hot) Share(f report.Finding, root string) float64 {
	file := f.File
	if !filepath.IsAbs(file) {
		file = filepath.Join(root, filepath.FromSlash(file))
	}
	share := h.line[filepath.Clean(file)+":"+strconv.Itoa(f.Line)]
	if f.Function != "" {
		share = max(share, h.flat[f.Function])
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
