package render

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path"
	"strconv"

	"github.com/advisor-dev/advisor/analyze/report"
)

// Excerpt is a few lines of source around a line of interest, shown under
// a recommendation in the HTML report.
type Excerpt struct {
	File  string
	Line  int // the line of interest
	Lines []ExcerptLine
}

// ExcerptLine is one numbered source line.
type ExcerptLine struct {
	N    int
	Text string
	Mark bool // the line of interest
}

func excerptKey(file string, line int) string { return file + ":" + strconv.Itoa(line) }

// maxExcerptLine bounds the length of a source line kept in an excerpt, so
// a minified or generated file cannot blow up the report.
const maxExcerptLine = 200

// ReadExcerpts reads, for every recommendation with a file and line, the
// source lines within context of it from moduleDir. Files are opened through
// an os.Root, so a report naming "../x" or an absolute path cannot make the
// advisor read outside the module. Unreadable places are returned as errors
// and left out of the map.
func ReadExcerpts(moduleDir string, r *report.Report, context int) (map[string]Excerpt, []error) {
	ex := map[string]Excerpt{}
	if r == nil {
		return ex, nil
	}
	root, err := os.OpenRoot(moduleDir)
	if err != nil {
		return ex, []error{fmt.Errorf("read source excerpts: %w", err)}
	}
	defer root.Close()
	var errs []error
	for _, rec := range r.Recommendations {
		if rec.File == "" || rec.Line <= 0 {
			continue
		}
		key := excerptKey(rec.File, rec.Line)
		if _, ok := ex[key]; ok {
			continue
		}
		e, err := readExcerpt(root, rec.File, rec.Line, context)
		if err != nil {
			errs = append(errs, fmt.Errorf("source excerpt for %s: %w", key, err))
			continue
		}
		ex[key] = e
	}
	return ex, errs
}

// readExcerpt reads lines [line-context, line+context] of file in root.
func readExcerpt(root *os.Root, file string, line, context int) (Excerpt, error) {
	if path.IsAbs(file) {
		return Excerpt{}, errors.New("path is not relative to the module")
	}
	f, err := root.Open(file)
	if err != nil {
		return Excerpt{}, err
	}
	defer f.Close()
	context = max(context, 0)
	e := Excerpt{File: file, Line: line}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan() && n <= line+context; n++ {
		if n < line-context {
			continue
		}
		text := sc.Text()
		if r := []rune(text); len(r) > maxExcerptLine {
			text = string(r[:maxExcerptLine]) + "…"
		}
		e.Lines = append(e.Lines, ExcerptLine{N: n, Text: text, Mark: n == line})
	}
	if err := sc.Err(); err != nil {
		return Excerpt{}, err
	}
	if len(e.Lines) == 0 || e.Lines[len(e.Lines)-1].N < line {
		return Excerpt{}, fmt.Errorf("%s has no line %d", file, line)
	}
	return e, nil
}
