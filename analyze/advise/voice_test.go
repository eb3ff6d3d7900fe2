package advise

import (
	"slices"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

// TestAdviseOneVoice: a finding and a recommendation in one report never
// contradict each other; the measured view (the loop analysis, the
// estimate, the profile) wins and the finding says so.
func TestAdviseOneVoice(t *testing.T) {
	fetchLoop := func(verdict, reason string) []Loop {
		return []Loop{{File: "main.go", Line: 40, EndLine: 46, Verdict: verdict, Reason: reason}}
	}
	t.Run("a goroutines finding on a loop the analysis calls dependent: noted, not recommended", func(t *testing.T) {
		r := fetchReport(true)
		if err := Advise(r, fetchProfile(t), Options{ModuleDir: "/p", Loops: fetchLoop(LoopDependent, "iterations merge into the shared map seen")}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		if ks := kinds(r.Recommendations); slices.Contains(ks, report.KindGoroutines) {
			t.Errorf("kinds %v: goroutines for a dependent loop", ks)
		}
		if m := r.Findings[0].Message; !strings.Contains(m, "loop analysis: iterations merge into the shared map seen") || !strings.Contains(m, "not recommended") {
			t.Errorf("finding message does not say why it is not advice: %s", m)
		}
	})
	t.Run("on an ordered loop: neither the finding nor the advice calls the iterations plainly independent", func(t *testing.T) {
		r := fetchReport(true)
		if err := Advise(r, fetchProfile(t), Options{ModuleDir: "/p", Loops: fetchLoop(LoopOrdered, "the loop prints with fmt.Printf in iteration order")}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		if r.Recommendations[0].Kind != report.KindGoroutines {
			t.Fatalf("kinds %v; want goroutines first", kinds(r.Recommendations))
		}
		if c := r.Recommendations[0].Text; strings.Contains(c, "run the independent iterations") || !strings.Contains(c, "run the iterations at main.main") {
			t.Errorf("goroutines text: %s", c)
		}
		if m := r.Findings[0].Message; !strings.Contains(m, "loop analysis: the loop prints with fmt.Printf in iteration order") {
			t.Errorf("finding message keeps only the rule's view: %s", m)
		}
	})
	t.Run("an independent loop: the finding keeps its words", func(t *testing.T) {
		r := fetchReport(true)
		msg := r.Findings[0].Message
		if err := Advise(r, fetchProfile(t), Options{ModuleDir: "/p", Loops: fetchLoop(LoopIndependent, "")}); err != nil {
			t.Fatal(err)
		}
		if r.Findings[0].Message != msg {
			t.Errorf("message changed on an independent loop: %s", r.Findings[0].Message)
		}
	})
	t.Run("a hot finding whose fix saves too little: said next to nothing worth doing", func(t *testing.T) {
		r := fibReport()
		if err := Advise(r, fibProfile(t), Options{ModuleDir: "/p", MinGain: 0.99}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		if ks := kinds(r.Recommendations); !slices.Equal(ks, []string{report.KindNone}) {
			t.Fatalf("kinds %v; want none alone", ks)
		}
		if m := r.Findings[0].Message; !strings.Contains(m, "measured: fixing it is estimated to save") || !strings.Contains(m, "under the 99% worth recommending") {
			t.Errorf("the hot finding contradicts \"nothing worth doing\": %s", m)
		}
	})
	t.Run("--all: cold findings are marked cold", func(t *testing.T) {
		r := fibReport()
		r.Findings = append(r.Findings, report.Finding{Rule: "stringconcat", Category: report.CategoryAlloc, File: "main.go", Line: 30, Function: "main.main", Message: "s += in a loop", Recommendation: report.KindBuilder})
		if err := Advise(r, fibProfile(t), Options{All: true, ModuleDir: "/p"}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		for _, f := range r.Findings {
			if want := map[bool]string{true: "cold", false: ""}[f.Rule == "stringconcat"]; f.Hidden != want {
				t.Errorf("%s finding hidden %q; want %q", f.Rule, f.Hidden, want)
			}
		}
	})
}
