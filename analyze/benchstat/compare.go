package benchstat

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/aclements/go-moremath/stats"
	"github.com/advisor-dev/advisor/analyze/report"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// Results is a set of parsed `go test -bench` results, each tagged with
// the label of the side it belongs to (the ".file" key, as benchstat does).
type Results struct {
	Results []*benchfmt.Result
	Units   benchfmt.UnitMetadataMap
	// rounds[i] is the round of interleaved A/B runs that produced
	// Results[i], or -1 when unknown (e.g. results read from files).
	rounds []int
}

// Parse reads `go test -bench` output from r and appends its results to
// rs, labelled with label (e.g. "old.txt" or "base"). name is used in error
// messages. Unlike benchstat, a malformed benchmark line is an error: a gate
// must not silently decide on partial data.
func (rs *Results) Parse(r io.Reader, name, label string) error {
	return rs.ParseRound(r, name, label, -1)
}

// ParseRound is Parse for the output of one run of a round of
// interleaved A/B runs (each benchmark run once per side per round).
// Results of the two sides in the same round are paired by Compare.
func (rs *Results) ParseRound(r io.Reader, name, label string, round int) error {
	var rd benchfmt.Reader
	rd.Reset(r, name, ".file", label)
	n := 0
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			return rec
		case *benchfmt.Result:
			for _, v := range rec.Values {
				// benchmath's statistics do not terminate on NaN.
				if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
					file, line := rec.Pos()
					unit := v.OrigUnit
					if unit == "" {
						unit = v.Unit
					}
					return fmt.Errorf("%s:%d: Benchmark%s: %s value is not a finite number", file, line, rec.Name.Full(), unit)
				}
			}
			// The reader reuses its Result; keep a copy.
			rs.Results = append(rs.Results, rec.Clone())
			rs.rounds = append(rs.rounds, round)
			n++
		}
	}
	if err := rd.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if rs.Units == nil {
		rs.Units = make(benchfmt.UnitMetadataMap)
	}
	for k, v := range rd.Units() {
		rs.Units[k] = v
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", name, ErrNoBenchmarks)
	}
	return nil
}

// ErrNoBenchmarks reports input that holds no benchmark results.
var ErrNoBenchmarks = errors.New("no benchmark results")

// Options says how to compare two sides.
type Options struct {
	Base, Head string  // labels of the two sides (".file" values)
	Alpha      float64 // significance level; benchstat's default is 0.05
	Confidence float64 // confidence level of the intervals; default 0.95
}

// Compare compares the results labelled opts.Base with those labelled
// opts.Head the way benchstat does with its default flags (tables by
// configuration and unit, rows by full name, medians with confidence
// intervals, Mann-Whitney U tests, geomeans).
func Compare(rs *Results, opts Options) (*report.Comparison, error) {
	if opts.Alpha == 0 {
		opts.Alpha = benchmath.DefaultThresholds.CompareAlpha
	}
	if opts.Confidence == 0 {
		opts.Confidence = 0.95
	}
	if !(opts.Alpha > 0 && opts.Alpha < 1) {
		return nil, fmt.Errorf("alpha must be in (0, 1), got %v", opts.Alpha)
	}
	if !(opts.Confidence > 0 && opts.Confidence < 1) {
		return nil, fmt.Errorf("confidence must be in (0, 1), got %v", opts.Confidence)
	}
	filter, err := benchproc.NewFilter("*")
	if err != nil {
		return nil, fmt.Errorf("benchmark filter: %w", err)
	}
	var parser benchproc.ProjectionParser
	tableBy, unitField, err := parser.ParseWithUnit(".config", filter)
	if err != nil {
		return nil, fmt.Errorf("table projection: %w", err)
	}
	rowBy, err := parser.Parse(".fullname", filter)
	if err != nil {
		return nil, fmt.Errorf("row projection: %w", err)
	}
	colBy, err := parser.Parse(".file", filter)
	if err != nil {
		return nil, fmt.Errorf("column projection: %w", err)
	}
	residue := parser.Residue()

	type cell struct {
		values  []float64
		rounds  []int
		residue map[benchproc.Key]struct{}
	}
	type table struct {
		rows  []benchproc.Key
		seen  map[benchproc.Key]bool
		cells map[[2]benchproc.Key]*cell // {row, side label}
	}
	tables := make(map[benchproc.Key]*table)
	var tableKeys []benchproc.Key
	sides := map[string]bool{}
	for ri, res := range rs.Results {
		round := -1
		if ri < len(rs.rounds) {
			round = rs.rounds[ri]
		}
		ok, err := filter.Apply(res)
		if !ok {
			if err != nil {
				return nil, fmt.Errorf("filtering results: %w", err)
			}
			continue
		}
		col := colBy.Project(res)
		side := col.StringValues()
		if side != opts.Base && side != opts.Head {
			continue
		}
		sides[side] = true
		row := rowBy.Project(res)
		resKey := residue.Project(res)
		for i, tk := range tableBy.ProjectValues(res) {
			t := tables[tk]
			if t == nil {
				t = &table{seen: map[benchproc.Key]bool{}, cells: map[[2]benchproc.Key]*cell{}}
				tables[tk] = t
				tableKeys = append(tableKeys, tk)
			}
			if !t.seen[row] {
				t.seen[row] = true
				t.rows = append(t.rows, row)
			}
			ck := [2]benchproc.Key{row, col}
			c := t.cells[ck]
			if c == nil {
				c = &cell{residue: map[benchproc.Key]struct{}{}}
				t.cells[ck] = c
			}
			c.values = append(c.values, res.Values[i].Value)
			c.rounds = append(c.rounds, round)
			c.residue[resKey] = struct{}{}
		}
	}
	for _, s := range []string{opts.Base, opts.Head} {
		if !sides[s] {
			return nil, fmt.Errorf("%s: %w", s, ErrNoBenchmarks)
		}
	}
	benchproc.SortKeys(tableKeys)

	thresholds := benchmath.Thresholds{CompareAlpha: opts.Alpha}
	out := &report.Comparison{Base: opts.Base, Head: opts.Head, Alpha: opts.Alpha, Confidence: opts.Confidence}
	var configFields []*benchproc.Field
	if len(tableKeys) > 0 {
		configFields = tableKeys[0].Projection().FlattenedFields()
	}
	for _, tk := range tableKeys {
		t := tables[tk]
		unit := tk.Get(unitField)
		assumption := rs.Units.GetAssumption(unit)
		bt := report.BenchTable{Unit: unit, Better: rs.Units.GetBetter(unit), Exact: assumption == benchmath.AssumeExact}
		for _, f := range configFields {
			if f.Name != ".unit" {
				bt.Config = append(bt.Config, f.Name+": "+tk.Get(f))
			}
		}
		benchproc.SortKeys(t.rows)
		// The column keys share one projection; find them by label.
		var baseKey, headKey benchproc.Key
		for ck := range t.cells {
			switch ck[1].StringValues() {
			case opts.Base:
				baseKey = ck[1]
			case opts.Head:
				headKey = ck[1]
			}
		}
		summarize := func(c *cell) (*report.Cell, *benchmath.Sample) {
			if c == nil {
				return nil, nil
			}
			s := benchmath.NewSample(append([]float64(nil), c.values...), &thresholds)
			if nsk := benchproc.NonSingularFields(sortedKeys(c.residue)); len(nsk) > 0 {
				msg := "benchmarks vary in "
				for i, f := range nsk {
					if i > 0 {
						msg += ", "
					}
					msg += f.Name
				}
				s.Warnings = append(s.Warnings, errors.New(msg))
			}
			sum := assumption.Summary(s, opts.Confidence)
			bc := &report.Cell{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, Confidence: sum.Confidence, Values: s.Values}
			bc.Warnings = append(errStrings(s.Warnings), errStrings(sum.Warnings)...)
			return bc, s
		}
		for _, rk := range t.rows {
			row := report.BenchRow{Name: rk.StringValues()}
			var bs, hs *benchmath.Sample
			if !baseKey.IsZero() {
				row.Base, bs = summarize(t.cells[[2]benchproc.Key{rk, baseKey}])
			}
			if !headKey.IsZero() {
				row.Head, hs = summarize(t.cells[[2]benchproc.Key{rk, headKey}])
			}
			if bs != nil && hs != nil {
				cmp := assumption.Compare(bs, hs)
				row.P, row.N1, row.N2 = cmp.P, cmp.N1, cmp.N2
				row.Warnings = errStrings(cmp.Warnings)
				bc, hc := t.cells[[2]benchproc.Key{rk, baseKey}], t.cells[[2]benchproc.Key{rk, headKey}]
				row.Paired = pair(bc.values, bc.rounds, hc.values, hc.rounds)
				if d, ok := delta(row.Base.Center, row.Head.Center); ok {
					row.Delta = &d
				}
			}
			bt.Rows = append(bt.Rows, row)
		}
		if len(bt.Rows) > 1 {
			bt.Geomean = geomean(bt.Rows)
		}
		out.Tables = append(out.Tables, bt)
	}
	return out, nil
}

// delta is new/old - 1, defined when old is non-zero or both are equal.
func delta(old, new float64) (float64, bool) {
	switch {
	case old == new:
		return 0, true
	case old == 0:
		return 0, false
	}
	return new/old - 1, true
}

// geomean reproduces benchstat's geomean row: the geomean of each
// side's centers, and the geomean of head/base ratios over rows present on
// both sides.
func geomean(rows []report.BenchRow) *report.Geomean {
	g := &report.Geomean{}
	var base, head, ratios []float64
	nBase, badRatio := 0, false
	for _, r := range rows {
		if r.Base != nil {
			base = append(base, r.Base.Center)
			nBase++
		}
		if r.Head == nil {
			continue
		}
		head = append(head, r.Head.Center)
		if r.Base == nil {
			continue
		}
		a, b := r.Head.Center, r.Base.Center
		switch {
		case a == b:
			ratios = append(ratios, 1)
		case b == 0:
			badRatio = true
			ratios = append(ratios, 0)
		default:
			ratios = append(ratios, a/b)
		}
	}
	mean := func(xs []float64, warn *[]string, what string) *float64 {
		gm := stats.GeoMean(xs)
		if math.IsNaN(gm) {
			*warn = append(*warn, what+" must be >0 to compute geomean")
			return nil
		}
		return &gm
	}
	g.Base = mean(base, &g.BaseWarnings, "summaries")
	if nBase != len(ratios) {
		g.HeadWarnings = append(g.HeadWarnings, "benchmark set differs from baseline; geomeans may not be comparable")
	}
	g.Head = mean(head, &g.HeadWarnings, "summaries")
	if !badRatio {
		g.Ratio = mean(ratios, &g.HeadWarnings, "ratios")
	}
	return g
}

func sortedKeys(m map[benchproc.Key]struct{}) []benchproc.Key {
	keys := make([]benchproc.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	benchproc.SortKeys(keys)
	return keys
}

func errStrings(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// pair pairs the values of the two sides by round and returns the
// median ratio and a paired test, or nil when no round has exactly one
// value on each side.
func pair(bv []float64, br []int, hv []float64, hr []int) *report.Paired {
	one := func(vs []float64, rs []int) map[int]float64 {
		m := map[int]float64{}
		dup := map[int]bool{}
		for i, r := range rs {
			if r < 0 {
				continue
			}
			if _, ok := m[r]; ok {
				dup[r] = true
			}
			m[r] = vs[i]
		}
		for r := range dup {
			delete(m, r)
		}
		return m
	}
	base, head := one(bv, br), one(hv, hr)
	var ratios, logs []float64
	for r, b := range base {
		h, ok := head[r]
		if !ok {
			continue
		}
		if !(b > 0 && h > 0) {
			// Ratios of zero or negative values have no log: leave these
			// rows to the unpaired test.
			return nil
		}
		ratios = append(ratios, h/b)
		logs = append(logs, math.Log(h/b))
	}
	if len(ratios) == 0 {
		return nil
	}
	sort.Float64s(ratios)
	return &report.Paired{N: len(ratios), Ratio: stats.Sample{Xs: ratios, Sorted: true}.Quantile(0.5), P: signedRank(logs)}
}
