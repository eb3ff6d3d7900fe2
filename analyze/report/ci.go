package report

import (
	"encoding/json"
	"math"
)

// SchemaCIV1 is the value of CI.Schema for the advisor-ci/v1 contract, the
// JSON document of `advisor ci --format json` and `advisor compare --format json`.
const SchemaCIV1 = "advisor-ci/v1"

// Statuses of the regression gate's verdict on one benchmark in one unit.
const (
	StatusRegression  = "regression"  // significantly worse by at least the threshold (and confirmed, when confirmation ran)
	StatusImprovement = "improvement" // significantly better by at least the threshold
	StatusUnchanged   = "unchanged"   // no significant change beyond the threshold
	StatusUndecided   = "undecided"   // too few samples to ever reach significance
	StatusUnconfirmed = "unconfirmed" // flagged once, not flagged again by the confirmation run
	StatusNoisy       = "noisy"       // an exact unit (allocs/op, B/op) that varied between rounds: not compared
	StatusAdded       = "added"       // only in head
	StatusRemoved     = "removed"     // only in base
	StatusIgnored     = "ignored"     // excluded by configuration
)

// Statistical tests named by Verdict.Test.
const (
	TestSignedRank  = "signed-rank"  // Wilcoxon, on the log ratios of runs paired by round
	TestMannWhitney = "mann-whitney" // unpaired, as benchstat
)

// CI is everything `advisor ci` and `advisor compare` decided: the
// comparison, the gate's verdicts and the new findings in hot code.
type CI struct {
	Schema     string      `json:"schema"`
	Base       string      `json:"base"`
	Head       string      `json:"head"`
	Alpha      float64     `json:"alpha"`
	Threshold  float64     `json:"threshold"`
	Comparison *Comparison `json:"comparison"`
	Verdicts   []Verdict   `json:"verdicts"`
	// Regressions counts confirmed regressions (benchmark × unit).
	Regressions int `json:"regressions"`
	// NewFindings are lint findings on hot lines of head that base does not
	// have (empty when not computed).
	NewFindings []Finding `json:"new_findings"`
	// Errors are non-fatal problems (e.g. no profile for hot-code findings).
	Errors []string `json:"errors"`
}

// Comparison is a benchstat-like A/B comparison: one table per
// configuration and unit, one row per benchmark.
type Comparison struct {
	Base       string       `json:"base"`
	Head       string       `json:"head"`
	Alpha      float64      `json:"alpha"`
	Confidence float64      `json:"confidence"`
	Tables     []BenchTable `json:"tables"`
}

// BenchTable compares one unit under one configuration.
type BenchTable struct {
	// Config lists the configuration (goos, pkg, cpu, ...) as "key: value"
	// lines, in file order.
	Config []string `json:"config"`
	// Unit is the tidied unit (sec/op, B/op, allocs/op, ...).
	Unit string `json:"unit"`
	// Better is -1 when lower values are better, +1 when higher are, 0 if unknown.
	Better int `json:"better"`
	// Exact is set when the unit's metadata declares an exact distribution.
	Exact bool       `json:"exact,omitempty"`
	Rows  []BenchRow `json:"rows"`
	// Geomean summarizes the table when it has more than one row.
	Geomean *Geomean `json:"geomean,omitempty"`
}

// Pkg returns the table's "pkg" configuration value, or "".
func (t *BenchTable) Pkg() string {
	for _, c := range t.Config {
		if len(c) > 5 && c[:5] == "pkg: " {
			return c[5:]
		}
	}
	return ""
}

// BenchRow is one benchmark in one unit.
type BenchRow struct {
	Name string `json:"name"`
	Base *Cell  `json:"base"` // nil when the benchmark is missing on that side
	Head *Cell  `json:"head"`
	// P is the p-value of the comparison (Mann-Whitney U, or 0 for exact
	// units); N1 and N2 are the sample sizes. Zero when a side is missing.
	P  float64 `json:"p"`
	N1 int     `json:"n1"`
	N2 int     `json:"n2"`
	// Delta is Head.Center/Base.Center - 1; nil when it is not defined.
	Delta *float64 `json:"delta"`
	// Warnings are the comparison's caveats (e.g. "all samples are equal").
	Warnings []string `json:"warnings,omitempty"`
	// Paired is the round-by-round comparison, when the results came from
	// interleaved runs.
	Paired *Paired `json:"paired,omitempty"`
}

// Paired compares base and head round by round: runs of the same round ran
// back to back, so their ratio cancels most of the machine's slow drift in
// speed (other load, thermal state), which dominates the noise on shared CI
// machines. The test is the Wilcoxon signed-rank test of the log ratios.
type Paired struct {
	// N is the number of rounds with one value on each side.
	N int `json:"n"`
	// Ratio is the median over rounds of head/base (1 when equal).
	Ratio float64 `json:"ratio"`
	// P is the two-sided p-value for "the log ratios are not centered on 0".
	P float64 `json:"p"`
}

// Cell summarizes one side of a row: the median and its confidence
// interval. Lo and Hi are ±Inf when there are too few samples for the
// confidence level; JSON carries those as null.
type Cell struct {
	Center     float64   `json:"center"`
	Lo         float64   `json:"lo"`
	Hi         float64   `json:"hi"`
	Confidence float64   `json:"confidence"`
	Values     []float64 `json:"values"`
	Warnings   []string  `json:"warnings,omitempty"`
}

// Geomean is the geometric mean of a table's centers and of the head/base
// ratios.
type Geomean struct {
	Base         *float64 `json:"base"`  // nil when undefined (a center ≤ 0)
	Head         *float64 `json:"head"`  //
	Ratio        *float64 `json:"ratio"` // geomean of head/base; nil when undefined
	BaseWarnings []string `json:"base_warnings,omitempty"`
	HeadWarnings []string `json:"head_warnings,omitempty"`
}

// MarshalJSON writes an unbounded interval end (±Inf: too few samples for
// the confidence level) as null, which JSON can carry; the text table shows
// it as benchstat does, "± ∞".
func (c Cell) MarshalJSON() ([]byte, error) {
	bound := func(f float64) *float64 {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil
		}
		return &f
	}
	return json.Marshal(struct {
		Center     float64   `json:"center"`
		Lo         *float64  `json:"lo"`
		Hi         *float64  `json:"hi"`
		Confidence float64   `json:"confidence"`
		Values     []float64 `json:"values"`
		Warnings   []string  `json:"warnings,omitempty"`
	}{c.Center, bound(c.Lo), bound(c.Hi), c.Confidence, c.Values, c.Warnings})
}

// Verdict is the gate's decision on one row of a comparison.
type Verdict struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Status string `json:"status"`
	// Change is the relative change in the "worse" direction: +0.3 is 30%
	// slower (or 30% more allocations); negative is better. For units where
	// higher is better it is base/head - 1, so it reads as a slowdown too.
	Change    *float64 `json:"change"`
	P         float64  `json:"p"`
	Threshold float64  `json:"threshold"`
	// Exact is set for units gated by threshold alone (allocs/op, B/op).
	Exact bool `json:"exact,omitempty"`
	// Test names the test behind P: TestSignedRank or TestMannWhitney.
	Test   string `json:"test,omitempty"`
	Reason string `json:"reason"`
	// Confirm holds the confirmation run's numbers, when there was one.
	Confirm *Confirmation `json:"confirm,omitempty"`
	// Table and Row locate the verdict in the comparison it was made from.
	Table int `json:"-"`
	Row   int `json:"-"`
}

// Confirmation is the second, independent measurement of a suspected
// regression.
type Confirmation struct {
	Change *float64 `json:"change"`
	P      float64  `json:"p"`
	Status string   `json:"status"`
}
