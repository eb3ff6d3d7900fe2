package render

import (
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
)

// Profiles handed in with --profile/--trace have no exit status; naming the
// package whose code they measure must not make the header say the target
// was killed.
func TestTextHeaderImportedWithPackage(t *testing.T) {
	rep := &report.Report{Target: &report.Target{Package: "./cmd/wc", WallSeconds: 1}}
	var b strings.Builder
	if err := Text(&b, rep, TextOptions{Imported: true}); err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(b.String(), "\n")
	if strings.Contains(header, "killed") || !strings.Contains(header, "./cmd/wc (profiles collected elsewhere)") {
		t.Errorf("header = %q, want the package marked as profiles collected elsewhere", header)
	}

	// A run advisor made itself with no exit status was killed.
	b.Reset()
	if err := Text(&b, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(b.String(), "\n"); !strings.Contains(header, "(killed)") {
		t.Errorf("header of a run without exit code = %q, want (killed)", header)
	}
}

// A rewrite measured in too few runs (the --verify-budget ran out) is not
// a win, whatever its p-value, and its text must not claim one.
func TestVerifiedTextTooFewRuns(t *testing.T) {
	v, err := benchstat.CompareRuns([]float64{1.30, 1.31, 1.29, 1.32}, []float64{0.010, 0.011, 0.012, 0.010}, "none")
	if err != nil {
		t.Fatal(err)
	}
	if got := VerifiedText(v); benchstat.Win(v) || strings.Contains(got, "verified") || !strings.Contains(got, "too few runs") {
		t.Errorf("4 runs (win=%v): %q", benchstat.Win(v), got)
	}
}

// The text report lists at most --top hot paths and none under half a
// percent but the first, and says how many it left out.
func TestTextHotpathsCut(t *testing.T) {
	rep := &report.Report{Hotpaths: []report.Hotpath{
		{Function: "a.big", Share: 0.6}, {Function: "a.mid", Share: 0.3}, {Function: "a.tiny", Share: 0.001},
	}}
	for _, tc := range []struct {
		max   int
		shown []string
		rest  string
	}{
		{0, []string{"a.big", "a.mid"}, "1 smaller"},
		{1, []string{"a.big"}, "2 smaller"},
	} {
		var b strings.Builder
		if err := Text(&b, rep, TextOptions{MaxPaths: tc.max}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, fn := range tc.shown {
			if !strings.Contains(out, fn) {
				t.Errorf("max %d: %q not listed:\n%s", tc.max, fn, out)
			}
		}
		if strings.Contains(out, "a.tiny") || !strings.Contains(out, tc.rest) {
			t.Errorf("max %d: want a.tiny left out and %q:\n%s", tc.max, tc.rest, out)
		}
	}
}

// An estimate that is a lower bound reads "more than", in the text and the
// HTML report alike; a point estimate keeps its two decimals.
func TestEstimateLowerBound(t *testing.T) {
	twenty, small := 20.0, 2.4
	rep := &report.Report{Recommendations: []report.Recommendation{
		{Kind: report.KindCache, Function: "main.fib", Text: "memoize", EstimatedSpeedup: &twenty, EstimateLowerBound: true},
		{Kind: report.KindGoroutines, Function: "main.main", Text: "overlap", EstimatedSpeedup: &small},
	}}
	var b strings.Builder
	if err := Text(&b, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "est. >20× whole program") || strings.Contains(out, "20.00×") || !strings.Contains(out, "est. 2.40× whole program") {
		t.Errorf("text report:\n%s\nwant est. >20× for the lower bound and est. 2.40× for the other", out)
	}
	rep.Normalize()
	if page := renderHTML(t, rep, nil); !strings.Contains(page, "&gt;20×") || !strings.Contains(page, "2.40×") {
		t.Errorf("HTML report does not say >20× and 2.40×")
	}
}

// A server's window shows its requests per handler; an idle server shows
// no breakdown at all (it has no request time to split).
func TestTextRequests(t *testing.T) {
	busy := &report.Report{
		Summary:  &report.Summary{Class: report.ClassCPU, Accounting: report.AccountingRequests, Requests: 5, Breakdown: report.Breakdown{report.StateCPU: 1}},
		Handlers: []report.Handler{{Function: "main.handle", Requests: 5, Seconds: 0.15, MeanSeconds: 0.03, Share: 1}},
	}
	var b strings.Builder
	if err := Text(&b, busy, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"per request (5 requests", "Where the time goes", "Requests", "main.handle", "30ms"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	idle := &report.Report{Summary: &report.Summary{Class: report.ClassIdle, Accounting: report.AccountingRequests, Breakdown: report.Breakdown{}}}
	b.Reset()
	if err := Text(&b, idle, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); !strings.Contains(s, "it served no requests") || strings.Contains(s, "Where the time goes") {
		t.Errorf("idle server text:\n%s", s)
	}
}
