package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"
)

// WriteBenchTable prints c as benchstat prints an A/B comparison with its
// default flags (the layout of benchstat's internal benchtab.Table.ToText).
func WriteBenchTable(w io.Writer, c *report.Comparison) error {
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
		if err := writeBenchTable(w, c, &t); err != nil {
			return err
		}
	}
	return nil
}

func writeBenchTable(w io.Writer, c *report.Comparison, t *report.BenchTable) error {
	var o ttTable
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
				marks = append(marks, superscript(i+1))
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
		o.span(r-l, label, ttAligned(ttAlignCenter), ttLeftMargin(" │ "))
	}
	o.col(rEdge)
	o.cell("", ttLeftMargin(" │"))

	o.row()
	for i := range ncols {
		l := startCol(i)
		o.col(l)
		o.span(centerCols, t.Unit, ttAligned(ttAlignCenter), ttLeftMargin(" │ "))
		if i > 0 {
			o.span(deltaCols, "vs base", ttAligned(ttAlignLeft), ttLeftMargin("  "))
		}
		for j := l + 1; j < o.curCol; j++ {
			o.setShrink(j)
		}
	}
	o.col(rEdge)
	o.cell("", ttLeftMargin(" │"))

	class := benchunit.ClassOf(t.Unit)
	for _, r := range t.Rows {
		o.row()
		o.cell(r.Name)
		var centers []float64
		for _, bc := range []*report.Cell{r.Base, r.Head} {
			if bc != nil {
				centers = append(centers, bc.Center)
			}
		}
		scaler := benchunit.CommonScale(centers, class)
		for exp, bc := range []*report.Cell{r.Base, r.Head} {
			if bc == nil {
				continue
			}
			o.col(startCol(exp))
			o.cell(scaler.Format(bc.Center), ttAligned(ttAlignRight))
			o.cell(summary(bc).PctRangeString(), ttAligned(ttAlignRight), ttLeftMargin(" ± "))
			warn(bc.Warnings)
			if exp > 0 && r.Base != nil {
				cmp := benchmath.Comparison{P: r.P, N1: r.N1, N2: r.N2, Alpha: c.Alpha}
				o.cell(cmp.FormatDelta(r.Base.Center, bc.Center), ttAligned(ttAlignRight))
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
				o.cell(benchunit.Scale(*gm, class), ttAligned(ttAlignRight))
			}
			warnings := g.BaseWarnings
			if exp > 0 {
				warnings = g.HeadWarnings
				o.col(startCol(exp) + centerCols)
				if g.Ratio != nil {
					o.cell(fmt.Sprintf("%+.2f%%", (*g.Ratio-1)*100), ttAligned(ttAlignRight))
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
		if _, err := fmt.Fprintf(w, "%s %s\n", superscript(i+1), msg); err != nil {
			return err
		}
	}
	return nil
}

// superscript writes i with superscript digits, for footnote marks.
func superscript(i int) string {
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

// summary is c as a benchmath summary, whose methods format the ± range as
// benchstat does.
func summary(c *report.Cell) benchmath.Summary {
	return benchmath.Summary{Center: c.Center, Lo: c.Lo, Hi: c.Hi, Confidence: c.Confidence}
}
