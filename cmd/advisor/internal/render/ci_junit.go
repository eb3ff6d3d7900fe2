package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
)

// JUnit XML: one test case per benchmark; it fails when any of its units
// regressed.
type ciJUnitSuites struct {
	XMLName  xml.Name       `xml:"testsuites"`
	Name     string         `xml:"name,attr"`
	Tests    int            `xml:"tests,attr"`
	Failures int            `xml:"failures,attr"`
	Suites   []ciJUnitSuite `xml:"testsuite"`
}

type ciJUnitSuite struct {
	Name     string        `xml:"name,attr"`
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Cases    []ciJUnitCase `xml:"testcase"`
}

type ciJUnitCase struct {
	Name      string       `xml:"name,attr"`
	Classname string       `xml:"classname,attr"`
	Failure   *ciJUnitFail `xml:"failure,omitempty"`
	Skipped   *ciJUnitSkip `xml:"skipped,omitempty"`
	SystemOut string       `xml:"system-out,omitempty"`
}

type ciJUnitFail struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type ciJUnitSkip struct {
	Message string `xml:"message,attr"`
}

func writeCIJUnit(w io.Writer, o *report.CI) error {
	suite := ciJUnitSuite{Name: "advisor ci benchmarks"}
	index := map[string]int{}
	for _, v := range o.Verdicts {
		pkg := ""
		if t := o.Comparison.Tables[v.Table]; len(t.Config) > 0 {
			for _, c := range t.Config {
				if p, ok := strings.CutPrefix(c, "pkg: "); ok {
					pkg = p
				}
			}
		}
		key := pkg + "\x00" + v.Name
		i, ok := index[key]
		if !ok {
			i = len(suite.Cases)
			index[key] = i
			suite.Cases = append(suite.Cases, ciJUnitCase{Name: v.Name, Classname: pkg})
		}
		c := &suite.Cases[i]
		line := fmt.Sprintf("%s %s: %s (%s)\n", v.Unit, v.Status, v.Reason, ciChange(v))
		c.SystemOut += line
		switch v.Status {
		case report.StatusRegression:
			if c.Failure == nil {
				c.Failure = &ciJUnitFail{Type: "regression", Message: v.Unit + " " + ciChange(v)}
			} else {
				c.Failure.Message += "; " + v.Unit + " " + ciChange(v)
			}
			c.Failure.Text += line
		case report.StatusIgnored:
			c.Skipped = &ciJUnitSkip{Message: v.Reason}
		}
	}
	for i := range suite.Cases {
		c := &suite.Cases[i]
		if c.Failure != nil {
			c.Skipped = nil
			suite.Failures++
		} else if c.Skipped != nil {
			suite.Skipped++
		}
	}
	suite.Tests = len(suite.Cases)
	doc := ciJUnitSuites{Name: "advisor ci", Tests: suite.Tests, Failures: suite.Failures, Suites: []ciJUnitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
