package advise

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"

	"github.com/google/pprof/profile"
)

// validate fails t unless r marshals to a valid advisor/v1 document.
func validate(t *testing.T, r *report.Report) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := docs.ValidateReport(b); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
}

func target(wall, cpu float64, procs int) *report.Target {
	code := 0
	return &report.Target{Package: "./prog", Args: []string{}, ExitCode: &code, WallSeconds: wall, CPUSeconds: cpu, GOMAXPROCS: procs}
}

// fibReport is testdata/fib as attributed: one CPU-bound recursive path on
// one of two cores.
func fibReport() *report.Report {
	r := report.NewReport()
	r.Target = target(2.31, 2.25, 2)
	r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.97, Breakdown: report.Breakdown{report.StateCPU: 0.97, report.StateGC: 0.01, report.StateSched: 0.02}}
	r.Hotpaths = []report.Hotpath{{Function: "main.fib", File: "main.go", Line: 14, Share: 0.95, Class: report.ClassCPU,
		Breakdown: report.Breakdown{report.StateCPU: 0.95}, Stack: []string{"main.main", "main.fib"}, MaxDepth: 39}}
	r.Findings = []report.Finding{{Rule: "overlaprecursion", Category: report.CategoryRecursion, File: "main.go", Line: 14, Column: 9,
		Function: "main.fib", Message: "fib calls itself twice on overlapping arguments; results are recomputed", Recommendation: report.KindCache}}
	return r
}

func fibProfile(t testing.TB) *profile.Profile {
	return buildProfile(t,
		stack(200, "main.fib /p/main.go:14", "main.fib /p/main.go:14", "main.fib /p/main.go:14", "main.main /p/main.go:22"),
		stack(20, "main.fib /p/main.go:11", "main.fib /p/main.go:14", "main.main /p/main.go:22"),
		stack(2, "main.main /p/main.go:23"),
	)
}

func fetchReport(withFinding bool) *report.Report {
	r := report.NewReport()
	r.Target = target(1.25, 0.06, 2)
	r.Summary = &report.Summary{Class: report.ClassIO, CoresUsed: 0.05, Breakdown: report.Breakdown{report.StateCPU: 0.04, report.StateNetwork: 0.93, report.StateSched: 0.03}}
	r.Hotpaths = []report.Hotpath{{Function: "main.fetch", File: "main.go", Line: 19, Share: 0.93, Class: report.ClassIO,
		Breakdown: report.Breakdown{report.StateNetwork: 0.93}, Stack: []string{"main.main", "main.fetch"}}}
	if withFinding {
		r.Findings = []report.Finding{{Rule: "sequentialio", Category: report.CategoryConcurrency, File: "main.go", Line: 41, Function: "main.main",
			Message: "fetch does network I/O in a loop of independent iterations, one at a time", Recommendation: report.KindGoroutines}}
	}
	return r
}

func fetchProfile(t testing.TB) *profile.Profile {
	return buildProfile(t, stack(5, "net/http.(*Transport).roundTrip /go/src/net/http/transport.go:600", "main.fetch /p/main.go:19", "main.main /p/main.go:41"))
}

func mandelbrotReport() *report.Report {
	r := report.NewReport()
	r.Target = target(3.1, 3.0, 4)
	r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.97, Breakdown: report.Breakdown{report.StateCPU: 0.98, report.StateSched: 0.02}}
	r.Hotpaths = []report.Hotpath{{Function: "main.escape", File: "main.go", Line: 14, Share: 0.96, Class: report.ClassCPU,
		Breakdown: report.Breakdown{report.StateCPU: 0.96}, Stack: []string{"main.main", "main.render", "main.escape"}}}
	return r
}

func mandelbrotProfile(t testing.TB) *profile.Profile {
	// escape is inlined into render: the call site is only visible as the
	// second line of the location.
	return buildProfile(t,
		smp{n: 290, locs: []loc{{"main.escape /p/main.go:14", "main.render /p/main.go:27"}, {"main.main /p/main.go:38"}}},
		stack(6, "runtime.mallocgc /go/src/runtime/malloc.go:1", "main.render /p/main.go:25", "main.main /p/main.go:38"),
	)
}

func parallelReport() *report.Report {
	r := report.NewReport()
	r.Target = target(2.0, 3.9, 2)
	r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 1.95, Breakdown: report.Breakdown{report.StateCPU: 0.97, report.StateChannel: 0.01, report.StateSched: 0.02}}
	r.Hotpaths = []report.Hotpath{{Function: "main.digest", File: "main.go", Line: 19, Share: 0.96, Class: report.ClassCPU,
		Breakdown: report.Breakdown{report.StateCPU: 0.96}, Stack: []string{"main.main.func1", "main.digest"}}}
	return r
}

func parallelProfile(t testing.TB) *profile.Profile {
	return buildProfile(t, stack(390, "crypto/sha256.block /go/src/crypto/sha256/sha256block.go:1", "main.digest /p/main.go:19", "main.main.func1 /p/main.go:36"))
}

// mixedReport: a network path in main.download (under main.main's loop) and
// a CPU path in the overlapping recursion main.score.
func mixedReport(network, cpu float64) *report.Report {
	r := report.NewReport()
	r.Target = target(2.0, 2.0*cpu, 2)
	r.Summary = &report.Summary{Class: report.ClassIO, CoresUsed: cpu, Breakdown: report.Breakdown{report.StateCPU: cpu, report.StateNetwork: network, report.StateSched: 1 - cpu - network}}
	if cpu > network {
		r.Summary.Class = report.ClassCPU
	}
	r.Hotpaths = []report.Hotpath{
		{Function: "main.download", File: "main.go", Line: 20, Share: network, Class: report.ClassIO, Breakdown: report.Breakdown{report.StateNetwork: network}, Stack: []string{"main.main", "main.download"}},
		{Function: "main.score", File: "main.go", Line: 34, Share: cpu, Class: report.ClassCPU, Breakdown: report.Breakdown{report.StateCPU: cpu}, Stack: []string{"main.main", "main.score"}, MaxDepth: 39},
	}
	slices.SortFunc(r.Hotpaths, func(a, b report.Hotpath) int { return int(math.Copysign(1, b.Share-a.Share)) })
	r.Findings = []report.Finding{
		{Rule: "overlaprecursion", Category: report.CategoryRecursion, File: "main.go", Line: 34, Function: "main.score", Message: "score calls itself twice on overlapping arguments", Recommendation: report.KindCache},
		{Rule: "sequentialio", Category: report.CategoryConcurrency, File: "main.go", Line: 50, Function: "main.main", Message: "download does network I/O in a loop, one at a time", Recommendation: report.KindGoroutines},
	}
	return r
}

func mixedProfile(t testing.TB) *profile.Profile {
	return buildProfile(t,
		stack(100, "main.score /p/main.go:34", "main.score /p/main.go:34", "main.main /p/main.go:57"),
		stack(3, "net/http.(*Client).Get /go/src/net/http/client.go:1", "main.download /p/main.go:20", "main.main /p/main.go:50"),
	)
}

func kinds(recs []report.Recommendation) []string {
	var ks []string
	for _, r := range recs {
		ks = append(ks, r.Kind)
	}
	return ks
}

func TestAdvise(t *testing.T) {
	for _, tc := range []struct {
		name    string
		report  func() *report.Report
		profile func(testing.TB) *profile.Profile
		// kinds is a prefix the ranked kinds must start with.
		kinds []string
		// never lists kinds that must not appear.
		never []string
		// loops are the rules' loop verdicts.
		loops []Loop
		// check runs case-specific assertions.
		check func(t *testing.T, r *report.Report)
	}{{
		name:   "fib: overlapping recursion is memoized first; no workers for work a memo removes",
		report: fibReport, profile: fibProfile,
		kinds: []string{report.KindCache}, never: []string{report.KindWorkers, report.KindGoroutines, report.KindProcesses, report.KindIterate, report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			c := r.Recommendations[0]
			if c.Function != "main.fib" || c.File != "main.go" || c.Line != 14 || !slices.Equal(c.Findings, []string{"overlaprecursion@main.go:14"}) {
				t.Errorf("cache recommendation at %s %s:%d findings %v", c.Function, c.File, c.Line, c.Findings)
			}
			// p = 0.98·222/222 cum (all fib samples) → 1/(1-0.98·0.95) ≈ 14.
			if s := *c.EstimatedSpeedup; s < 10 || s > 20 {
				t.Errorf("cache estimate %v; want ≈14 (1/(1-p·0.95), p≈0.98)", s)
			}
			for _, want := range []string{"map[int]int", "main.fib (main.go:14)"} {
				if !strings.Contains(c.Text, want) {
					t.Errorf("cache text lacks %q: %s", want, c.Text)
				}
			}
			if hs := r.Findings[0].HotShare; hs == nil || *hs < 0.9 {
				t.Errorf("fib finding hot share = %v; want ≥ 0.9", hs)
			}
			if !slices.Contains(kinds(r.Recommendations), report.KindPGO) {
				t.Errorf("CPU-bound program without a pgo candidate: %v", kinds(r.Recommendations))
			}
		},
	}, {
		name:   "fetch: sequential network I/O gets bounded goroutines",
		report: func() *report.Report { return fetchReport(true) }, profile: fetchProfile,
		kinds: []string{report.KindGoroutines}, never: []string{report.KindWorkers, report.KindProcesses, report.KindPGO, report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			c := r.Recommendations[0]
			if !strings.Contains(c.Text, "errgroup.Group with g.SetLimit(8)") || c.Line != 41 || c.Findings[0] != "sequentialio@main.go:41" {
				t.Errorf("goroutines recommendation: %+v", c)
			}
			// 1/((1-0.93)+0.93/8) ≈ 5.4
			if s := *c.EstimatedSpeedup; math.Abs(s-1/(0.07+0.93/8)) > 0.01 {
				t.Errorf("goroutines estimate %v; want %v", s, 1/(0.07+0.93/8))
			}
			// The finding's share is the network wait below main.main, not
			// the few CPU samples at its line.
			if hs := *r.Findings[0].HotShare; math.Abs(hs-0.93) > 1e-9 {
				t.Errorf("sequentialio hot share %v; want 0.93", hs)
			}
		},
	}, {
		name:   "fetch without a finding or source: goroutines at the call site, if it is in a loop of independent iterations",
		report: func() *report.Report { return fetchReport(false) }, profile: fetchProfile,
		kinds: []string{report.KindGoroutines}, never: []string{report.KindWorkers, report.KindProcesses},
		check: func(t *testing.T, r *report.Report) {
			if c := r.Recommendations[0]; !strings.Contains(c.Text, "If main.main (main.go:41) makes these calls in a loop of independent iterations") || c.Function != "main.main" || c.Line != 41 {
				t.Errorf("goroutines recommendation: %+v", c)
			}
		},
	}, {
		name: "network wait not attributed to own code: goroutines for the program, not none",
		report: func() *report.Report {
			// As measured on testdata/fetch when the waits stay in
			// net/http's goroutines: only the server's sleeping handler is
			// a hot path of the target's own code.
			r := fetchReport(false)
			r.Summary.Breakdown = report.Breakdown{report.StateCPU: 0.001, report.StateNetwork: 0.77, report.StateSelect: 0.03, report.StateSleep: 0.2}
			r.Hotpaths = []report.Hotpath{{Function: "main.main.func1", File: "main.go", Line: 32, Share: 0.2, Class: report.ClassSleep, Breakdown: report.Breakdown{report.StateSleep: 0.2}}}
			return r
		}, profile: fetchProfile,
		kinds: []string{report.KindGoroutines}, never: []string{report.KindNone, report.KindWorkers},
		check: func(t *testing.T, r *report.Report) {
			if c := r.Recommendations[0]; c.File != "" || !strings.Contains(c.Text, "no place in its own code") || !strings.Contains(c.Text, "SetLimit(8)") {
				t.Errorf("goroutines recommendation: %+v", c)
			}
		},
	}, {
		name: "network wait not attributed, with a sequentialio finding: the finding is the place",
		report: func() *report.Report {
			r := fetchReport(true)
			r.Summary.Breakdown = report.Breakdown{report.StateCPU: 0.001, report.StateNetwork: 0.77, report.StateSelect: 0.03, report.StateSleep: 0.2}
			r.Hotpaths = []report.Hotpath{{Function: "main.main.func1", File: "main.go", Line: 32, Share: 0.2, Class: report.ClassSleep, Breakdown: report.Breakdown{report.StateSleep: 0.2}}}
			return r
		}, profile: fetchProfile,
		kinds: []string{report.KindGoroutines}, never: []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			c := r.Recommendations[0]
			if c.Line != 41 || !slices.Equal(c.Findings, []string{"sequentialio@main.go:41"}) || !strings.Contains(c.Text, "The likely place is the loop at main.main (main.go:41)") {
				t.Errorf("goroutines recommendation: %+v", c)
			}
			// The finding measured cold, but the recommendation cites it,
			// so it stays in the report.
			if len(r.Findings) != 1 || *r.Findings[0].HotShare != 0 {
				t.Errorf("findings %+v; want the cited sequentialio finding kept", r.Findings)
			}
		},
	}, {
		name: "already concurrent I/O: no more goroutines",
		report: func() *report.Report {
			r := fetchReport(false)
			// The trace saw 7.6 goroutines waiting in main.fetch at once
			// while the critical path waited there.
			r.Target = target(1.0, 0.2, 2)
			r.Summary.Breakdown = report.Breakdown{report.StateCPU: 0.025, report.StateNetwork: 0.95, report.StateSched: 0.025}
			r.Summary.IOInFlight = 7.6
			r.Hotpaths[0].Breakdown = report.Breakdown{report.StateNetwork: 0.95}
			r.Hotpaths[0].InFlight = 7.6
			return r
		}, profile: fetchProfile,
		kinds: []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			if !strings.Contains(r.Recommendations[0].Text, "already concurrent (7.6 goroutines waiting at once") {
				t.Errorf("none text: %s", r.Recommendations[0].Text)
			}
		},
	}, {
		name: "one voice: a sequentialio finding on I/O already 7.6-way concurrent is annotated, not recommended",
		report: func() *report.Report {
			r := fetchReport(true)
			r.Target = target(1.0, 0.2, 2)
			r.Summary.Breakdown = report.Breakdown{report.StateCPU: 0.025, report.StateNetwork: 0.95, report.StateSched: 0.025}
			r.Summary.IOInFlight = 7.6
			r.Hotpaths[0].Breakdown = report.Breakdown{report.StateNetwork: 0.95}
			r.Hotpaths[0].InFlight = 7.6
			return r
		}, profile: fetchProfile,
		never: []string{report.KindGoroutines},
		check: func(t *testing.T, r *report.Report) {
			seen := false
			for _, f := range r.Findings {
				if f.Recommendation == report.KindGoroutines {
					seen = true
					if !strings.Contains(f.Message, "already runs 7.6 calls at a time") {
						t.Errorf("finding contradicts the measured view: %s", f.Message)
					}
				}
			}
			if !seen {
				t.Errorf("findings %+v: the sequentialio finding is gone", r.Findings)
			}
		},
	}, {
		name:   "mandelbrot: serial CPU work on idle cores gets a worker pool at the loop",
		report: mandelbrotReport, profile: mandelbrotProfile,
		loops: []Loop{{File: "main.go", Line: 25, EndLine: 30, Verdict: LoopIndependent}},
		kinds: []string{report.KindWorkers}, never: []string{report.KindGoroutines, report.KindProcesses, report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			c := r.Recommendations[0]
			if c.Function != "main.render" || c.File != "main.go" || c.Line != 27 {
				t.Errorf("workers at %s %s:%d; want main.render main.go:27 (the inlined call site)", c.Function, c.File, c.Line)
			}
			for _, want := range []string{"runtime.GOMAXPROCS(0)", "are independent", "loop analysis", "-race"} {
				if !strings.Contains(c.Text, want) {
					t.Errorf("workers text lacks %q: %s", want, c.Text)
				}
			}
			// 4 procs, 0.97 used: a serial path can use 1+3.03 → capped at 4.
			want := 1 / ((1 - 0.96) + 0.96/4)
			if s := *c.EstimatedSpeedup; math.Abs(s-want) > 0.01 {
				t.Errorf("workers estimate %v; want %v", s, want)
			}
		},
	}, {
		name:   "a dependent loop gets no concurrency advice, and the report says why",
		report: mandelbrotReport, profile: mandelbrotProfile,
		loops: []Loop{{File: "main.go", Line: 25, EndLine: 30, Verdict: LoopDependent, Reason: "each iteration uses h from the previous one"}},
		never: []string{report.KindWorkers, report.KindGoroutines},
		check: func(t *testing.T, r *report.Report) {
			if !slices.ContainsFunc(r.Errors, func(e string) bool {
				return strings.Contains(e, "each iteration uses h from the previous one") && strings.Contains(e, "PGO")
			}) {
				t.Errorf("errors %q do not say why there is no concurrency advice", r.Errors)
			}
		},
	}, {
		name:   "a reduction loop: workers with per-worker partials",
		report: mandelbrotReport, profile: mandelbrotProfile,
		loops: []Loop{{File: "main.go", Line: 25, EndLine: 30, Verdict: LoopReduction, Reason: "the reduction sum += ..."}},
		kinds: []string{report.KindWorkers},
		check: func(t *testing.T, r *report.Report) {
			if c := r.Recommendations[0]; !strings.Contains(c.Text, "partial result") || strings.Contains(c.Text, "unverified") {
				t.Errorf("workers text: %s", c.Text)
			}
		},
	}, {
		name:   "parallel: every core busy → processes, never goroutines or workers",
		report: parallelReport, profile: parallelProfile,
		kinds: []string{report.KindProcesses}, never: []string{report.KindGoroutines, report.KindWorkers, report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			c := r.Recommendations[0]
			if !strings.Contains(c.Text, "more goroutines cannot") || c.Function != "main.digest" {
				t.Errorf("processes recommendation: %+v", c)
			}
		},
	}, {
		name: "short run: one none that says the run is too short",
		report: func() *report.Report {
			r := fibReport()
			r.Target.WallSeconds, r.Target.CPUSeconds = 0.02, 0.02
			return r
		},
		profile: func(t testing.TB) *profile.Profile {
			return buildProfile(t, stack(2, "main.fib /p/main.go:14", "main.main /p/main.go:22"))
		},
		kinds: []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			if len(r.Recommendations) != 1 || !strings.Contains(r.Recommendations[0].Text, "too short") || !strings.Contains(r.Recommendations[0].Text, "--bench") {
				t.Errorf("recommendations %+v; want one none saying too short", r.Recommendations)
			}
			if len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "too short") {
				t.Errorf("errors %q; want the too-short note", r.Errors)
			}
		},
	}, {
		name: "short but sampled run: advice with a short-run caveat, not none",
		report: func() *report.Report {
			r := fibReport()
			r.Target.WallSeconds, r.Target.CPUSeconds = 0.2, 0.2
			return r
		},
		profile: func(t testing.TB) *profile.Profile {
			return buildProfile(t, stack(100, "main.fib /p/main.go:14", "main.main /p/main.go:22"))
		},
		never: []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			if len(r.Recommendations) == 0 || r.Recommendations[0].Kind == report.KindNone {
				t.Fatalf("recommendations %+v; want advice", r.Recommendations)
			}
			if !slices.ContainsFunc(r.Errors, func(e string) bool { return strings.Contains(e, "short run (0.20s)") }) {
				t.Errorf("errors %q; want the short-run caveat", r.Errors)
			}
		},
	}, {
		name:   "CPU-bound but few samples: too few to trust",
		report: fibReport,
		profile: func(t testing.TB) *profile.Profile {
			return buildProfile(t, stack(20, "main.fib /p/main.go:14", "main.main /p/main.go:22"))
		},
		kinds: []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			if len(r.Recommendations) != 1 || !strings.Contains(r.Recommendations[0].Text, "only 20 samples") {
				t.Errorf("recommendations %+v", r.Recommendations)
			}
		},
	}, {
		name:   "mixed, network dominant: goroutines then cache, by estimated gain",
		report: func() *report.Report { return mixedReport(0.6, 0.3) }, profile: mixedProfile,
		kinds: []string{report.KindGoroutines, report.KindCache}, never: []string{report.KindWorkers, report.KindNone},
	}, {
		name:   "mixed, CPU dominant: the ranking follows the estimate, not the class",
		report: func() *report.Report { return mixedReport(0.3, 0.6) }, profile: mixedProfile,
		kinds: []string{report.KindCache, report.KindGoroutines}, never: []string{report.KindWorkers, report.KindNone},
	}, {
		name: "sleep: nothing worth doing, said plainly",
		report: func() *report.Report {
			r := report.NewReport()
			r.Target = target(0.95, 0.01, 2)
			r.Summary = &report.Summary{Class: report.ClassSleep, CoresUsed: 0.01, Breakdown: report.Breakdown{report.StateSleep: 0.98, report.StateCPU: 0.01, report.StateSched: 0.01}}
			r.Hotpaths = []report.Hotpath{{Function: "main.waitUntil", File: "main.go", Line: 18, Share: 0.98, Class: report.ClassSleep, Breakdown: report.Breakdown{report.StateSleep: 0.98}}}
			return r
		},
		profile: func(t testing.TB) *profile.Profile { return buildProfile(t, stack(1, "main.main /p/main.go:25")) },
		kinds:   []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			if len(r.Recommendations) != 1 || !strings.Contains(r.Recommendations[0].Text, "nothing worth doing") || !strings.Contains(r.Recommendations[0].Text, "time.Sleep") {
				t.Errorf("recommendations %+v", r.Recommendations)
			}
		},
	}, {
		name: "deep recursion with stack growth: iterate",
		report: func() *report.Report {
			r := report.NewReport()
			r.Target = target(1.5, 1.45, 1)
			r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.97, Breakdown: report.Breakdown{report.StateCPU: 0.99, report.StateSched: 0.01}}
			r.Hotpaths = []report.Hotpath{{Function: "main.walk", File: "main.go", Line: 9, Share: 0.9, Class: report.ClassCPU, Stack: []string{"main.main", "main.walk"}, MaxDepth: 20000}}
			return r
		},
		profile: func(t testing.TB) *profile.Profile {
			return buildProfile(t,
				stack(40, "runtime.newstack /go/src/runtime/stack.go:1", "runtime.morestack /go/src/runtime/asm.s:1", "main.walk /p/main.go:9", "main.walk /p/main.go:9", "main.main /p/main.go:20"),
				stack(100, "main.walk /p/main.go:8", "main.main /p/main.go:20"))
		},
		never: []string{report.KindWorkers, report.KindGoroutines},
		check: func(t *testing.T, r *report.Report) {
			i := slices.Index(kinds(r.Recommendations), report.KindIterate)
			if i < 0 {
				t.Fatalf("no iterate in %v", kinds(r.Recommendations))
			}
			c := r.Recommendations[i]
			if !strings.Contains(c.Text, "depth 20000") || !strings.Contains(c.Text, "newstack") || c.Function != "main.walk" {
				t.Errorf("iterate recommendation: %+v", c)
			}
			// gomaxprocs 1 and busy: scale out, not goroutines.
			if !slices.Contains(kinds(r.Recommendations), report.KindProcesses) {
				t.Errorf("one busy core: no processes in %v", kinds(r.Recommendations))
			}
		},
	}, {
		name: "moderate recursion that measurably grows its stack: iterate",
		report: func() *report.Report {
			r := report.NewReport()
			r.Target = target(1.5, 1.45, 2)
			r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.97, Breakdown: report.Breakdown{report.StateCPU: 0.99, report.StateSched: 0.01}}
			r.Hotpaths = []report.Hotpath{{Function: "main.walk", File: "main.go", Line: 9, Share: 0.9, Class: report.ClassCPU, Stack: []string{"main.main", "main.walk"}, MaxDepth: 300}}
			return r
		},
		profile: func(t testing.TB) *profile.Profile {
			return buildProfile(t,
				stack(30, "runtime.newstack /go/src/runtime/stack.go:1", "runtime.morestack /go/src/runtime/asm.s:1", "main.walk /p/main.go:9", "main.main /p/main.go:20"),
				stack(100, "main.walk /p/main.go:8", "main.main /p/main.go:20"))
		},
		check: func(t *testing.T, r *report.Report) {
			i := slices.Index(kinds(r.Recommendations), report.KindIterate)
			if i < 0 {
				t.Fatalf("no iterate in %v", kinds(r.Recommendations))
			}
			if c := r.Recommendations[i]; !strings.Contains(c.Text, "depth 300") || *c.EstimatedSpeedup < 1.2 {
				t.Errorf("iterate recommendation: %+v", c)
			}
		},
	}, {
		name: "high GC: the hot allocation finding, then GOGC/GOMEMLIMIT",
		report: func() *report.Report {
			r := report.NewReport()
			r.Target = target(2, 2.2, 4)
			r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 1.1, Breakdown: report.Breakdown{report.StateCPU: 0.75, report.StateGC: 0.25}}
			r.Hotpaths = []report.Hotpath{{Function: "main.collect", File: "main.go", Line: 12, Share: 0.6, Class: report.ClassCPU, Stack: []string{"main.main", "main.collect"}}}
			r.Findings = []report.Finding{{Rule: "prealloc", Category: report.CategoryAlloc, File: "main.go", Line: 12, Function: "main.collect", Message: "append grows out in a loop of known length", Recommendation: report.KindPrealloc}}
			return r
		},
		profile: func(t testing.TB) *profile.Profile {
			return buildProfile(t,
				stack(60, "runtime.mallocgc /go/src/runtime/malloc.go:1", "runtime.growslice /go/src/runtime/slice.go:1", "main.collect /p/main.go:12", "main.main /p/main.go:30"),
				stack(25, "runtime.gcDrain /go/src/runtime/mgcmark.go:1", "runtime.gcBgMarkWorker /go/src/runtime/mgc.go:1"),
				stack(15, "main.main /p/main.go:31"))
		},
		never: []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			ks := kinds(r.Recommendations)
			ip, ir := slices.Index(ks, report.KindPrealloc), slices.Index(ks, report.KindReuse)
			if ip < 0 || ir < 0 {
				t.Fatalf("kinds %v; want prealloc and reuse (GOGC)", ks)
			}
			gogc := r.Recommendations[ir]
			if !strings.Contains(gogc.Text, "GOGC=200") || !strings.Contains(gogc.Text, "GOMEMLIMIT") || !slices.Equal(gogc.Findings, []string{"prealloc@main.go:12"}) {
				t.Errorf("GC recommendation: %+v", gogc)
			}
			if pre := r.Recommendations[ip]; !strings.Contains(pre.Text, "make([]T, 0, n)") || !strings.Contains(pre.Text, "of the program's allocation") {
				t.Errorf("prealloc recommendation: %+v", pre)
			}
		},
	}, {
		name: "lock contention: none, with what to do about locks",
		report: func() *report.Report {
			r := report.NewReport()
			r.Target = target(1.2, 1.1, 2)
			r.Summary = &report.Summary{Class: report.ClassSync, CoresUsed: 0.92, Breakdown: report.Breakdown{report.StateCPU: 0.12, report.StateLock: 0.86, report.StateSched: 0.02}}
			r.Hotpaths = []report.Hotpath{{Function: "main.(*table).add", File: "main.go", Line: 21, Share: 0.86, Class: report.ClassSync, Breakdown: report.Breakdown{report.StateLock: 0.86}}}
			return r
		},
		profile: func(t testing.TB) *profile.Profile {
			return buildProfile(t, stack(110, "hash/fnv.(*sum64a).Write /go/src/hash/fnv/fnv.go:1", "main.(*table).add /p/main.go:24"))
		},
		kinds: []string{report.KindNone},
		check: func(t *testing.T, r *report.Report) {
			if !strings.Contains(r.Recommendations[0].Text, "critical sections") {
				t.Errorf("none text: %s", r.Recommendations[0].Text)
			}
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.report()
			if err := Advise(r, tc.profile(t), Options{ModuleDir: "/p", Loops: tc.loops}); err != nil {
				t.Fatal(err)
			}
			validate(t, r)
			ks := kinds(r.Recommendations)
			if len(ks) < len(tc.kinds) || !slices.Equal(ks[:len(tc.kinds)], tc.kinds) {
				t.Errorf("kinds %v; want them to start with %v", ks, tc.kinds)
			}
			for _, k := range tc.never {
				if slices.Contains(ks, k) {
					t.Errorf("kinds %v include %q", ks, k)
				}
			}
			checkRanked(t, r.Recommendations)
			if tc.check != nil {
				tc.check(t, r)
			}
			if t.Failed() {
				for _, rec := range r.Recommendations {
					t.Logf("%s %v: %s", rec.Kind, speedupOr(rec.EstimatedSpeedup), rec.Text)
				}
			}
		})
	}
}

// checkRanked checks the invariants of every recommendation list: ranked by
// estimate, none alone, every text non-empty and every finding id well formed.
func checkRanked(t *testing.T, recs []report.Recommendation) {
	t.Helper()
	if len(recs) == 0 {
		t.Fatal("no recommendations: want at least a none")
	}
	for i, r := range recs {
		if r.Kind == report.KindNone && len(recs) != 1 {
			t.Errorf("none among other recommendations: %v", kinds(recs))
		}
		unverified := func(r report.Recommendation) bool { return strings.HasPrefix(r.Text, "unverified: ") }
		if i > 0 && unverified(recs[i-1]) && !unverified(r) {
			t.Errorf("proven %s after unverified %s", r.Kind, recs[i-1].Kind)
		}
		if i > 0 && unverified(recs[i-1]) == unverified(r) && speedupOr(r.EstimatedSpeedup) > speedupOr(recs[i-1].EstimatedSpeedup) {
			t.Errorf("not ranked: %s %v after %s %v", r.Kind, speedupOr(r.EstimatedSpeedup), recs[i-1].Kind, speedupOr(recs[i-1].EstimatedSpeedup))
		}
		if r.Text == "" {
			t.Errorf("%s: empty text", r.Kind)
		}
		for _, id := range r.Findings {
			if !strings.Contains(id, "@") || !strings.Contains(id, ":") {
				t.Errorf("finding id %q is not rule@file:line", id)
			}
		}
	}
}

func TestAdviseHidesColdFindingsUnlessAll(t *testing.T) {
	cold := report.Finding{Rule: "stringconcat", Category: report.CategoryAlloc, File: "main.go", Line: 30, Function: "main.main", Message: "s += in a loop", Recommendation: report.KindBuilder}
	for _, all := range []bool{false, true} {
		r := fibReport()
		r.Findings = append(r.Findings, cold)
		if err := Advise(r, fibProfile(t), Options{All: all, ModuleDir: "/p"}); err != nil {
			t.Fatal(err)
		}
		validate(t, r)
		var rules []string
		for _, f := range r.Findings {
			rules = append(rules, f.Rule)
		}
		want := []string{"overlaprecursion"}
		if all {
			want = append(want, "stringconcat")
		}
		if !slices.Equal(rules, want) {
			t.Errorf("All=%v: findings %v; want %v", all, rules, want)
		}
		if all && (r.Findings[1].HotShare == nil || *r.Findings[1].HotShare != 0) {
			t.Errorf("cold finding hot share %v; want 0", r.Findings[1].HotShare)
		}
		if slices.Contains(kinds(r.Recommendations), report.KindBuilder) {
			t.Errorf("All=%v: recommendation for cold code: %v", all, kinds(r.Recommendations))
		}
	}
}

func TestAdviseWithoutMeasurementLeavesSharesUnknown(t *testing.T) {
	r := report.NewReport()
	r.Findings = []report.Finding{{Rule: "prealloc", Category: report.CategoryAlloc, File: "a.go", Line: 3, Message: "m", Recommendation: report.KindPrealloc}}
	if err := Advise(r, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	validate(t, r)
	if len(r.Findings) != 1 || r.Findings[0].HotShare != nil || len(r.Recommendations) != 0 {
		t.Errorf("findings %+v recommendations %+v; want the finding kept with a null share, no advice", r.Findings, r.Recommendations)
	}
}

func TestAdviseTraceOnly(t *testing.T) {
	// Without a CPU profile the hot paths still measure the findings.
	r := fibReport()
	if err := Advise(r, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	validate(t, r)
	if hs := r.Findings[0].HotShare; hs == nil || *hs != 0.95 {
		t.Errorf("hot share %v; want 0.95 from the hot path", hs)
	}
	if r.Recommendations[0].Kind != report.KindCache {
		t.Errorf("kinds %v; want cache first", kinds(r.Recommendations))
	}
}

func TestAdviseEmptyBreakdownFallsBackToTheProfile(t *testing.T) {
	// The attribution measured nothing (class idle, all zeros) but the CPU
	// profile is full: the profile's fractions are the shares.
	r := fibReport()
	r.Summary = &report.Summary{Class: report.ClassIdle, Breakdown: report.Breakdown{report.StateCPU: 0, report.StateNetwork: 0}}
	r.Hotpaths = []report.Hotpath{}
	if err := Advise(r, fibProfile(t), Options{ModuleDir: "/p"}); err != nil {
		t.Fatal(err)
	}
	validate(t, r)
	if hs := r.Findings[0].HotShare; hs == nil || *hs < 0.98 {
		t.Errorf("hot share %v; want the profile's ≈0.99", hs)
	}
	if k := kinds(r.Recommendations); len(k) == 0 || k[0] != report.KindCache {
		t.Errorf("kinds %v; want cache first", k)
	}
}

func TestAdviseErrors(t *testing.T) {
	if err := Advise(nil, nil, Options{}); err == nil {
		t.Error("nil report: no error")
	}
	err := Advise(fibReport(), &profile.Profile{}, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "advise: ") {
		t.Errorf("profile without sample types: err = %v", err)
	}
}

// BenchmarkAdvise measures Advise on a profile the size of a busy service's:
// 20k distinct stacks of depth 30 over 2k functions, with 200 findings.
func BenchmarkAdvise(b *testing.B) {
	var samples []smp
	for i := range 20_000 {
		var frames []fr
		for d := range 30 {
			fn := (i*7 + d*13) % 2000
			frames = append(frames, fr(fmt.Sprintf("pkg.f%d /p/f%d.go:%d", fn, fn%50, 10+d)))
		}
		samples = append(samples, stack(1, frames...))
	}
	p := buildProfile(b, samples...)
	base := fibReport()
	for i := range 200 {
		base.Findings = append(base.Findings, report.Finding{Rule: "prealloc", Category: report.CategoryAlloc, File: fmt.Sprintf("f%d.go", i%50), Line: 10 + i%30,
			Function: fmt.Sprintf("pkg.f%d", i), Message: "m", Recommendation: report.KindPrealloc})
	}
	b.ReportAllocs()
	for b.Loop() {
		r := *base
		r.Findings = slices.Clone(base.Findings)
		if err := Advise(&r, p, Options{ModuleDir: "/p"}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAdviseAllocGainNotDoubleCounted: a string built by += that takes the
// whole run, half of it in GC assists, must not be promised more than the
// rule's fraction of the run (the share already holds its GC work).
func TestAdviseAllocGainNotDoubleCounted(t *testing.T) {
	r := report.NewReport()
	r.Target = target(1.2, 1.1, 2)
	r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.95, Breakdown: report.Breakdown{report.StateCPU: 0.45, report.StateGC: 0.5, report.StateSched: 0.05}}
	r.Hotpaths = []report.Hotpath{{Function: "main.join", File: "main.go", Line: 10, Share: 1, Class: report.ClassCPU,
		Breakdown: report.Breakdown{report.StateCPU: 0.45, report.StateGC: 0.5, report.StateSched: 0.05}, Stack: []string{"main.main", "main.join"}}}
	r.Findings = []report.Finding{{Rule: "stringconcat", Category: report.CategoryAlloc, File: "main.go", Line: 10, Column: 3,
		Function: "main.join", Message: "s is built by += in a loop", Recommendation: report.KindBuilder}}
	p := buildProfile(t,
		stack(60, "runtime.mallocgc /go/src/runtime/malloc.go:1", "runtime.concatstrings /go/src/runtime/string.go:1", "main.join /p/main.go:10", "main.main /p/main.go:20"),
		stack(40, "main.join /p/main.go:10", "main.main /p/main.go:20"),
	)
	if err := Advise(r, p, Options{ModuleDir: "/p"}); err != nil {
		t.Fatal(err)
	}
	validate(t, r)
	if len(r.Recommendations) == 0 || r.Recommendations[0].Kind != report.KindBuilder {
		t.Fatalf("recommendations = %v, want builder first", kinds(r.Recommendations))
	}
	// stringconcat removes 0.8 of the line's time: at most 1/(1-0.8) = 5×.
	if est := *r.Recommendations[0].EstimatedSpeedup; est > 5.001 {
		t.Errorf("estimated speedup %.2f× exceeds what removing 80%% of the run can give (5×)", est)
	}
}

// TestAdviseTooShortSaysHowToLengthen: the too-short note follows the way the
// run was made (a benchmark is lengthened with -benchtime, not --seconds).
func TestAdviseTooShortSaysHowToLengthen(t *testing.T) {
	for _, tc := range []struct{ lengthen, want string }{
		{"", "--seconds"},
		{"raise --benchtime", "raise --benchtime"},
	} {
		r := fibReport()
		r.Target = target(0.1, 0.1, 2)
		if err := Advise(r, fibProfile(t), Options{Lengthen: tc.lengthen}); err != nil {
			t.Fatal(err)
		}
		if len(r.Errors) == 0 || !strings.Contains(r.Errors[0], tc.want) {
			t.Errorf("Lengthen %q: errors %q, want a note containing %q", tc.lengthen, r.Errors, tc.want)
		}
	}
}
