package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/advisor-dev/advisor/analyze"
	"golang.org/x/perf/benchunit"
)

// writeCompareText prints c as benchstat prints an A/B comparison with its
// default flags (the layout of benchstat's internal benchtab.Table.ToText).
func writeCompareText(w io.Writer, c *analyze.BenchComparison) error {
	var prev []string
	for i, t := range c.Tables {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		// Configuration lines that changed since the previous table.
		for j, line := range t.Config {
			if prev == nil || j >= len(prev) || prev[j] != line {
				if _, err := fmt.Fprintln(w, line); err != nil {
					return err
				}
			}
		}
		prev = t.Config
		if err := writeCompareTable(w, c, &t); err != nil {
			return err
		}
	}
	return nil
}

func writeCompareTable(w io.Writer, c *analyze.BenchComparison, t *analyze.BenchTable) error {
	var o ciTextTable
	const labelCols, centerCols, deltaCols = 1, 3, 3
	startCol := func(exp int) int {
		if exp == 0 {
			return labelCols
		}
		return labelCols + centerCols + (exp-1)*(centerCols+deltaCols)
	}
	// Footnotes: each distinct warning gets a number, in order of appearance.
	var notes []string
	noteIdx := map[string]int{}
	warn := func(lists ...[]string) {
		var marks []string
		for _, l := range lists {
			for _, s := range l {
				i, ok := noteIdx[s]
				if !ok {
					i = len(notes)
					noteIdx[s] = i
					notes = append(notes, s)
				}
				marks = append(marks, ciSuperscript(i+1))
			}
		}
		o.cell(strings.Join(marks, " "))
	}

	const ncols = 2
	rEdge := startCol(ncols + 1)
	o.row()
	for i, label := range []string{c.Base, c.Head} {
		l, r := startCol(i), startCol(i+1)
		o.col(l)
		o.span(r-l, label, ciAligned(ciAlignCenter), ciLeftMargin(" │ "))
	}
	o.col(rEdge)
	o.cell("", ciLeftMargin(" │"))

	o.row()
	for i := range ncols {
		l := startCol(i)
		o.col(l)
		o.span(centerCols, t.Unit, ciAligned(ciAlignCenter), ciLeftMargin(" │ "))
		if i > 0 {
			o.span(deltaCols, "vs base", ciAligned(ciAlignLeft), ciLeftMargin("  "))
		}
		for j := l + 1; j < o.curCol; j++ {
			o.setShrink(j)
		}
	}
	o.col(rEdge)
	o.cell("", ciLeftMargin(" │"))

	class := benchunit.ClassOf(t.Unit)
	for _, r := range t.Rows {
		o.row()
		o.cell(r.Name)
		var centers []float64
		for _, bc := range []*analyze.BenchCell{r.Base, r.Head} {
			if bc != nil {
				centers = append(centers, bc.Center)
			}
		}
		scaler := benchunit.CommonScale(centers, class)
		for exp, bc := range []*analyze.BenchCell{r.Base, r.Head} {
			if bc == nil {
				continue
			}
			o.col(startCol(exp))
			o.cell(scaler.Format(bc.Center), ciAligned(ciAlignRight))
			o.cell(bc.Summary().PctRangeString(), ciAligned(ciAlignRight), ciLeftMargin(" ± "))
			warn(bc.Warnings)
			if exp > 0 && r.Base != nil {
				cmp := r.Comparison(c.Alpha)
				o.cell(cmp.FormatDelta(r.Base.Center, bc.Center), ciAligned(ciAlignRight))
				o.cell("(" + cmp.String() + ")")
				warn(r.Warnings)
			}
		}
	}

	if g := t.Geomean; g != nil {
		o.row()
		o.cell("geomean")
		for exp, gm := range []*float64{g.Base, g.Head} {
			if gm != nil {
				o.col(startCol(exp))
				o.cell(benchunit.Scale(*gm, class), ciAligned(ciAlignRight))
			}
			warnings := g.BaseWarnings
			if exp > 0 {
				warnings = g.HeadWarnings
				o.col(startCol(exp) + centerCols)
				if g.Ratio != nil {
					o.cell(fmt.Sprintf("%+.2f%%", (*g.Ratio-1)*100), ciAligned(ciAlignRight))
				} else {
					o.cell("?")
				}
			}
			o.col(startCol(exp+1) - 1)
			warn(warnings)
		}
	}

	if err := o.format(w); err != nil {
		return err
	}
	for i, msg := range notes {
		if _, err := fmt.Fprintf(w, "%s %s\n", ciSuperscript(i+1), msg); err != nil {
			return err
		}
	}
	return nil
}

// ciSuperscript writes i with superscript digits, for footnote marks.
func ciSuperscript(i int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	d := []rune(digits)
	if i == 0 {
		return string(d[0])
	}
	var out []rune
	for ; i > 0; i /= 10 {
		out = append([]rune{d[i%10]}, out...)
	}
	return string(out)
}
