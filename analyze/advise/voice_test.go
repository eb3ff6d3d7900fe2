package advise

import (
	"slices"
	"strconv"
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

// sumSource is xxhsum in short: the loop opens each file, then calls
// printHash, which reads and hashes it and prints the sum.
const sumSource = `package main

import (
	"fmt"
	"io"
	"os"
)

func printHash(r io.Reader, name string) {
	n, _ := io.Copy(io.Discard, r) // read
	fmt.Println(n, name)
}

func main() {
	for _, path := range os.Args[1:] { // files
		f, err := os.Open(path) // open
		if err != nil {
			continue
		}
		printHash(f, path) // call
		f.Close()
	}
}
`

// TestAdviseWaitsInAnOrderedCall: when the waits a goroutines finding
// counts are under a call that is itself the loop's ordered effect, the
// advice does not promise to overlap them.
func TestAdviseWaitsInAnOrderedCall(t *testing.T) {
	dir, line := writeSource(t, sumSource)
	at := func(fn, marker string) fr { return fr(fn + " " + dir + "/main.go:" + strconv.Itoa(line(marker))) }
	rep := func() *report.Report {
		r := report.NewReport()
		r.Target = target(1.0, 0.1, 2)
		r.Summary = &report.Summary{Class: report.ClassIO, CoresUsed: 0.1, Breakdown: report.Breakdown{report.StateCPU: 0.04, report.StateSyscall: 0.96}}
		r.Hotpaths = []report.Hotpath{
			{Function: "main.printHash", File: "main.go", Line: line("// read"), Share: 0.94, Class: report.ClassIO,
				Breakdown: report.Breakdown{report.StateSyscall: 0.94}, Stack: []string{"main.main", "main.printHash"}},
			{Function: "main.main", File: "main.go", Line: line("// open"), Share: 0.02, Class: report.ClassIO,
				Breakdown: report.Breakdown{report.StateSyscall: 0.02}, Stack: []string{"main.main"}},
		}
		r.Findings = []report.Finding{{Rule: "sequentialio", Category: report.CategoryConcurrency, File: "main.go", Line: line("// open"), Function: "main.main",
			Message: "os.Open waits on file I/O in every iteration of a loop whose iterations are independent", Recommendation: report.KindGoroutines}}
		return r
	}
	prof := buildProfile(t,
		stack(94, "syscall.read /go/src/syscall/zsyscall.go:1", at("main.printHash", "// read"), at("main.main", "// call"), "runtime.main /go/src/runtime/proc.go:283"),
		stack(2, "syscall.open /go/src/syscall/zsyscall.go:1", at("main.main", "// open"), "runtime.main /go/src/runtime/proc.go:283"))
	loop := func(orderLines ...int) []Loop {
		return []Loop{{File: "main.go", Line: line("// files"), EndLine: line("// files") + 7, Verdict: LoopOrdered, Reason: "printHash prints with fmt.Println in iteration order", OrderLines: orderLines}}
	}
	t.Run("the hashing call prints: nothing to overlap", func(t *testing.T) {
		r := rep()
		if err := Advise(r, prof, Options{ModuleDir: dir, Loops: loop(line("// call"))}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		for _, rec := range r.Recommendations {
			if rec.Kind == report.KindGoroutines && strings.Contains(rec.Text, "os.Open") {
				t.Errorf("goroutines advice promises to overlap printHash's reads: %s", rec.Text)
			}
		}
		if m := r.Findings[0].Message; !strings.Contains(m, "most of the waits are in main.printHash") || !strings.Contains(m, "split it into its I/O") {
			t.Errorf("finding message: %s", m)
		}
	})
	t.Run("without the finding: the hot path's loop gets no goroutines advice, and a note says why", func(t *testing.T) {
		r := rep()
		r.Findings = nil
		r.Hotpaths = r.Hotpaths[:1]
		if err := Advise(r, prof, Options{ModuleDir: dir, Loops: loop(line("// call"))}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		if ks := kinds(r.Recommendations); slices.Contains(ks, report.KindGoroutines) {
			t.Errorf("kinds %v: goroutines for waits that stay in order", ks)
		}
		if !slices.ContainsFunc(r.Errors, func(e string) bool {
			return strings.Contains(e, "no goroutines advice for the loop at main.main") && strings.Contains(e, "on the work in main.printHash")
		}) {
			t.Errorf("errors %q do not say why", r.Errors)
		}
	})
	t.Run("the printing is elsewhere: the reads overlap", func(t *testing.T) {
		r := rep()
		if err := Advise(r, prof, Options{ModuleDir: dir, Loops: loop(line("// files") + 100)}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		if r.Recommendations[0].Kind != report.KindGoroutines || *r.Recommendations[0].EstimatedSpeedup < 2 {
			t.Errorf("kinds %v; want goroutines first with the reads overlapped", kinds(r.Recommendations))
		}
	})
}
