package render

// This file is a port of golang.org/x/perf/cmd/benchstat/internal/texttab
// (BSD-style license, Copyright 2022 The Go Authors), which cannot be
// imported because it is internal. Using the same layout algorithm makes
// `advisor compare` print the same table as benchstat, byte for byte.

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// ttTable lays out cells in columns; a cell may span several columns.
type ttTable struct {
	cells          []ttCell
	cols           int
	shrink         []bool
	curRow, curCol int
}

type ttCell struct {
	row, col, span int
	value          string
	leftMargin     string
	alignment      ttAlign
}

type ttOption func(c *ttCell)

func ttLeftMargin(x string) ttOption {
	return func(c *ttCell) { c.leftMargin = x }
}

type ttAlign int

const (
	ttAlignLeft ttAlign = iota
	ttAlignCenter
	ttAlignRight
)

func ttAligned(a ttAlign) ttOption { return func(c *ttCell) { c.alignment = a } }

func (a ttAlign) lpad(s string, w int) string {
	switch a {
	default:
		return s
	case ttAlignCenter:
		l := (w - utf8.RuneCountInString(s)) / 2
		return fmt.Sprintf("%*s%s", l, "", s)
	case ttAlignRight:
		return fmt.Sprintf("%*s", w, s)
	}
}

// row starts a new row (the first call starts row 0).
func (t *ttTable) row() {
	if len(t.cells) > 0 {
		t.curRow++
	}
	t.curCol = 0
}

// col moves to column c of the current row; it never moves backwards.
func (t *ttTable) col(c int) {
	if c > t.curCol {
		t.curCol = c
	}
}

func (t *ttTable) cell(value string, opts ...ttOption) { t.span(1, value, opts...) }

func (t *ttTable) span(cols int, value string, opts ...ttOption) {
	lMargin := " "
	if t.curCol == 0 || len(value) == 0 {
		lMargin = ""
	}
	t.cells = append(t.cells, ttCell{t.curRow, t.curCol, cols, value, lMargin, ttAlignLeft})
	for _, o := range opts {
		o(&t.cells[len(t.cells)-1])
	}
	t.curCol += cols
	t.cols = max(t.cols, t.curCol)
}

// setShrink marks a column whose width spanning cells should not grow.
func (t *ttTable) setShrink(col int) {
	for len(t.shrink) < col+1 {
		t.shrink = append(t.shrink, false)
	}
	t.shrink[col] = true
}

func (t *ttTable) format(w io.Writer) error {
	shrink := func(col int) bool { return col < len(t.shrink) && t.shrink[col] }
	lmargin := make([]int, t.cols)
	for _, c := range t.cells {
		lmargin[c.col] = max(utf8.RuneCountInString(c.leftMargin), lmargin[c.col])
	}
	// Widths: single-column cells first, then spans from narrowest.
	ws := make([]int, t.cols)
	sort.SliceStable(t.cells, func(i, j int) bool { return t.cells[i].span < t.cells[j].span })
	var spanCols []int
	for _, c := range t.cells {
		w := utf8.RuneCountInString(c.value) + lmargin[c.col]
		if c.span == 1 {
			ws[c.col] = max(ws[c.col], w)
			continue
		}
		tw := 0
		for col := c.col; col < c.col+c.span; col++ {
			tw += ws[col]
		}
		if tw >= w {
			continue
		}
		spanCols = spanCols[:0]
		for col := c.col; col < c.col+c.span; col++ {
			if shrink(col) {
				w -= ws[col]
			} else {
				spanCols = append(spanCols, col)
			}
		}
		sort.SliceStable(spanCols, func(i, j int) bool { return ws[spanCols[i]] > ws[spanCols[j]] })
		n := len(spanCols)
		for _, col := range spanCols {
			avg := (w + n - 1) / n
			ws[col] = max(ws[col], avg)
			w -= ws[col]
			n--
		}
	}
	offs := make([]int, t.cols+1)
	off := 0
	for i, w := range ws {
		offs[i] = off
		off += w
	}
	offs[len(ws)] = off

	sort.SliceStable(t.cells, func(i, j int) bool {
		if t.cells[i].row != t.cells[j].row {
			return t.cells[i].row < t.cells[j].row
		}
		return t.cells[i].col < t.cells[j].col
	})
	var b strings.Builder
	row, off := 0, 0
	for _, c := range t.cells {
		if strings.TrimSpace(c.value) == "" && strings.TrimSpace(c.leftMargin) == "" {
			continue
		}
		for c.row > row {
			b.WriteString("\n")
			row++
			off = 0
		}
		spaces := offs[c.col] - off
		fmt.Fprintf(&b, "%*s%*s", spaces, "", lmargin[c.col], c.leftMargin)
		off += spaces + lmargin[c.col]
		tw := offs[c.col+c.span] - offs[c.col] - lmargin[c.col]
		s := c.alignment.lpad(c.value, tw)
		b.WriteString(s)
		off += utf8.RuneCountInString(s)
	}
	if len(t.cells) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
