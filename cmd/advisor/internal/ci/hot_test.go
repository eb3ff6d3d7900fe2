package ci

import (
	"math"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

func TestNewFindings(t *testing.T) {
	f := func(rule, file string, line int, msg string) report.Finding {
		return report.Finding{Rule: rule, File: file, Line: line, Function: "p.F", Message: msg}
	}
	base := []report.Finding{f("prealloc", "a.go", 10, "m1"), f("prealloc", "a.go", 20, "m2")}
	head := []report.Finding{
		f("prealloc", "a.go", 12, "m1"), // moved by an edit above: not new
		f("prealloc", "a.go", 22, "m2"),
		f("prealloc", "a.go", 30, "m2"), // a second copy: new
		f("stringconcat", "a.go", 40, "m3"),
	}
	got := NewFindings(base, head)
	if len(got) != 2 || got[0].Line != 30 || got[1].Rule != "stringconcat" {
		t.Errorf("new findings %+v, want the second m2 and the stringconcat one", got)
	}
}

func TestHot(t *testing.T) {
	fnHot := &profile.Function{ID: 1, Name: "p.Hot", Filename: "/src/p/a.go"}
	fnCold := &profile.Function{ID: 2, Name: "p.Cold", Filename: "/src/p/a.go"}
	locHot := &profile.Location{ID: 1, Line: []profile.Line{{Function: fnHot, Line: 10}}}
	locCold := &profile.Location{ID: 2, Line: []profile.Line{{Function: fnCold, Line: 30}}}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"}, Period: 1,
		Sample: []*profile.Sample{
			{Location: []*profile.Location{locHot}, Value: []int64{9, 900}},
			{Location: []*profile.Location{locCold, locHot}, Value: []int64{1, 100}},
		},
		Function: []*profile.Function{fnHot, fnCold},
		Location: []*profile.Location{locHot, locCold},
	}
	// Two copies of the profile: merged, the shares stay the same.
	h, err := NewHot([]*profile.Profile{p, p.Copy()}, "/src")
	if err != nil {
		t.Fatal(err)
	}
	check := func(f report.Finding, want float64) {
		t.Helper()
		if got := h.Share(f); math.Abs(got-want) > 1e-9 {
			t.Errorf("Share(%s:%d %s) = %v, want %v", f.File, f.Line, f.Function, got, want)
		}
	}
	check(report.Finding{File: "p/a.go", Line: 10}, 1.0)                    // on every stack
	check(report.Finding{File: "p/a.go", Line: 30}, 0.1)                    // leaf of one sample
	check(report.Finding{File: "p/a.go", Line: 31, Function: "p.Hot"}, 0.9) // self time of the function
	check(report.Finding{File: "p/b.go", Line: 10}, 0)
}
