package advise

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

// parseSource is a converter in short (gomarkdown's cmd/printast): a loop
// over input files calls a parser whose loops (its block loop, and the
// loop of count) depend on their earlier iterations, and prints in order.
const parseSource = `package main

import (
	"fmt"
	"os"
)

func scan(data []byte) int {
	state := 0
	for _, c := range data { // scan
		state = step(state, c) // hot scan
	}
	return state
}

func count(data []byte) int {
	n := 0
	for i := 0; i < len(data); i = skip(data, i) { // count
		n++ // hot count
	}
	return n
}

func step(s int, c byte) int { return s*31 + int(c) }

func skip(d []byte, i int) int { return i + 1 + int(d[i])%3 }

func parse(data []byte) (int, int) {
	a := 0
	for i := 0; i < len(data); i += 64 { // blocks
		a = step(a, byte(scan(data[i:min(i+64, len(data))]))) // call scan
	}
	return a, count(data) // call count
}

func main() {
	for _, name := range os.Args[1:] { // files
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		a, b := parse(data) // call parse
		fmt.Println(name, a, b)
	}
}
`

// TestAdviseLiftsToAnOuterLoop: the hot paths of dependent loops move to
// the nearest loop up their stacks that may run concurrently (the loop
// over files), which gets one recommendation with their combined share;
// when no such loop exists, one note lists every dependent loop with its
// reason instead of a note per loop.
func TestAdviseLiftsToAnOuterLoop(t *testing.T) {
	dir, line := writeSource(t, parseSource)
	at := func(fn, marker string) fr {
		return fr(fn + " " + dir + "/main.go:" + strconv.Itoa(line(marker)))
	}
	rep := func() *report.Report {
		r := report.NewReport()
		r.Target = target(1.0, 0.95, 2)
		r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.95, Breakdown: report.Breakdown{report.StateCPU: 0.95, report.StateSyscall: 0.05}}
		r.Hotpaths = []report.Hotpath{
			{Function: "main.scan", File: "main.go", Line: line("// hot scan"), Share: 0.55, Class: report.ClassCPU,
				Breakdown: report.Breakdown{report.StateCPU: 0.55}, Stack: []string{"main.main", "main.parse", "main.scan"}},
			{Function: "main.count", File: "main.go", Line: line("// hot count"), Share: 0.40, Class: report.ClassCPU,
				Breakdown: report.Breakdown{report.StateCPU: 0.40}, Stack: []string{"main.main", "main.parse", "main.count"}},
		}
		return r
	}
	prof := buildProfile(t,
		stack(55, at("main.scan", "// hot scan"), at("main.parse", "// call scan"), at("main.main", "// call parse"), "runtime.main /go/src/runtime/proc.go:283"),
		stack(40, at("main.count", "// hot count"), at("main.parse", "// call count"), at("main.main", "// call parse"), "runtime.main /go/src/runtime/proc.go:283"))
	inner := []Loop{
		{File: "main.go", Line: line("// blocks"), EndLine: line("// blocks") + 2, Verdict: LoopDependent, Reason: "each iteration uses a from the previous one"},
		{File: "main.go", Line: line("// scan"), EndLine: line("// scan") + 2, Verdict: LoopDependent, Reason: "each iteration uses state from the previous one"},
		{File: "main.go", Line: line("// count"), EndLine: line("// count") + 2, Verdict: LoopDependent, Reason: "each iteration starts from the state the previous one's post statement left"},
	}
	files := Loop{File: "main.go", Line: line("// files"), EndLine: line("// files") + 7, Verdict: LoopOrdered, Reason: "the loop prints with fmt.Println in iteration order"}

	t.Run("lifted to the ordered loop over files", func(t *testing.T) {
		r := rep()
		if err := Advise(r, prof, Options{ModuleDir: dir, Loops: append(slices.Clone(inner), files)}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		checkRanked(t, r.Recommendations)
		var ws []report.Recommendation
		for _, rec := range r.Recommendations {
			if rec.Kind == report.KindWorkers {
				ws = append(ws, rec)
			}
		}
		if len(ws) != 1 {
			t.Fatalf("%d workers recommendations; want 1: %v", len(ws), kinds(r.Recommendations))
		}
		w := ws[0]
		if w.Function != "main.main" || w.Line != line("// files") {
			t.Errorf("workers at %s:%d; want main.main:%d (the loop over files)", w.Function, w.Line, line("// files"))
		}
		for _, want := range []string{"main.scan", "main.count", "95% of the run", "its computation is independent, but the loop prints"} {
			if !strings.Contains(w.Text, want) {
				t.Errorf("workers text lacks %q: %s", want, w.Text)
			}
		}
		if strings.HasPrefix(w.Text, "unverified") || r.Recommendations[0].Kind != report.KindWorkers {
			t.Errorf("the proven workers advice is not first: %v: %s", kinds(r.Recommendations), w.Text)
		}
		for _, e := range r.Errors {
			if strings.Contains(e, "no concurrency advice") {
				t.Errorf("a note on the inner loops, whose work the workers advice covers: %s", e)
			}
		}
	})
	t.Run("no loop to lift to: one note lists the dependent loops", func(t *testing.T) {
		r := rep()
		dep := files
		dep.Verdict, dep.Reason = LoopDependent, "iterations append to the shared slice out"
		if err := Advise(r, prof, Options{ModuleDir: dir, Loops: append(slices.Clone(inner), dep)}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		if ks := kinds(r.Recommendations); slices.Contains(ks, report.KindWorkers) {
			t.Errorf("kinds %v: workers for dependent loops", ks)
		}
		var notes []string
		for _, e := range r.Errors {
			if strings.Contains(e, "no concurrency advice") {
				notes = append(notes, e)
			}
		}
		if len(notes) != 1 {
			t.Fatalf("%d notes on dependent loops; want 1: %q", len(notes), notes)
		}
		for _, want := range []string{"2 loops", "main.parse (main.go:" + strconv.Itoa(line("// blocks")) + "): each iteration uses a from", "main.count (main.go:" + strconv.Itoa(line("// count")) + "): each iteration starts", "PGO"} {
			if !strings.Contains(notes[0], want) {
				t.Errorf("note lacks %q: %s", want, notes[0])
			}
		}
	})
}
