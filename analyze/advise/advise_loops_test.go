package advise

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

// writeSource writes a main.go into a new module dir and returns the dir and
// a function giving the line of the first line containing a marker.
func writeSource(t *testing.T, src string) (dir string, lineOf func(marker string) int) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, func(marker string) int {
		t.Helper()
		for i, l := range strings.Split(src, "\n") {
			if strings.Contains(l, marker) {
				return i + 1
			}
		}
		t.Fatalf("no line contains %q", marker)
		return 0
	}
}

// filesSource is testdata/files in short: writeFiles is called once, and
// the wait (f.Sync) repeats in its own loops, the inner one over one file.
const filesSource = `package main

import (
	"fmt"
	"os"
)

func writeFiles(dir string, n, size int) error {
	data := make([]byte, size)
	for i := 0; i < n; i++ { // files
		f, err := os.Create(fmt.Sprintf("%s/f%04d", dir, i))
		if err != nil {
			return err
		}
		for off := 0; off < size; off += 512 { // offsets
			if _, err := f.Write(data[off : off+512]); err != nil {
				return err
			}
			if err := f.Sync(); err != nil {
				return err
			}
		}
		f.Close()
	}
	return nil
}

func main() {
	dir, _ := os.MkdirTemp("", "x")
	defer os.RemoveAll(dir)
	if err := writeFiles(dir, 400, 8192); err != nil { // call
		panic(err)
	}
} // end
`

// crashSource is cmd/advisor/testdata/targets/crash: a serial loop in main
// calling spin, which the compiler inlines.
const crashSource = `package main

func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i % 7
	}
	return x
}

func main() {
	total := 0
	for i := 0; i < 400; i++ { // loop
		total += spin(1_000_000)
	}
	panic(total)
}
`

func filesReport(lineOf func(string) int) *report.Report {
	r := report.NewReport()
	r.Target = target(0.92, 0.01, 2)
	r.Summary = &report.Summary{Class: report.ClassIO, CoresUsed: 0.01, Breakdown: report.Breakdown{report.StateCPU: 0.01, report.StateSyscall: 0.99}}
	r.Hotpaths = []report.Hotpath{
		{Function: "main.writeFiles", File: "main.go", Line: lineOf("f.Sync()"), Share: 0.91, Class: report.ClassIO,
			Breakdown: report.Breakdown{report.StateSyscall: 0.91}, Stack: []string{"main.main", "main.writeFiles"}},
		// The deferred os.RemoveAll at main's closing brace: done once.
		{Function: "main.main", File: "main.go", Line: lineOf("} // end"), Share: 0.07, Class: report.ClassIO,
			Breakdown: report.Breakdown{report.StateSyscall: 0.07}, Stack: []string{"main.main"}},
	}
	return r
}

func crashReport(lineOf func(string) int) *report.Report {
	r := report.NewReport()
	r.Target = target(1.5, 1.45, 2)
	r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.99, Breakdown: report.Breakdown{report.StateCPU: 0.99, report.StateSched: 0.01}}
	r.Hotpaths = []report.Hotpath{
		{Function: "main.spin", File: "main.go", Line: lineOf("x += i % 7"), Share: 0.66, Class: report.ClassCPU,
			Breakdown: report.Breakdown{report.StateCPU: 0.66}, Stack: []string{"main.main", "main.spin"}},
		{Function: "main.main", File: "main.go", Line: lineOf("// loop"), Share: 0.34, Class: report.ClassCPU,
			Breakdown: report.Breakdown{report.StateCPU: 0.34}, Stack: []string{"main.main"}},
	}
	return r
}

// TestAdviseConcurrencyNamesTheRepeatingLoop: goroutines and workers advice
// points at the loop that repeats the hot code, merges the hot paths one
// loop repeats, and invents no caller loop.
func TestAdviseConcurrencyNamesTheRepeatingLoop(t *testing.T) {
	filesDir, filesLine := writeSource(t, filesSource)
	crashDir, crashLine := writeSource(t, crashSource)
	at := func(dir string, frame string) fr { return fr(strings.Replace(frame, "DIR", dir, 1)) }
	for _, tc := range []struct {
		name    string
		dir     string
		report  func() *report.Report
		profile func() *profile.Profile // nil: trace only
		// kind, fn and line are the only recommendation of kind expected.
		kind, fn string
		line     int
		// speedup is its estimate.
		speedup float64
		want    []string // in its text
		notWant []string // nowhere in any text
	}{{
		name: "files: a function called once; its own outer loop, not the inner loop over one file, not the caller",
		dir:  filesDir, report: func() *report.Report { return filesReport(filesLine) },
		profile: func() *profile.Profile {
			return buildProfile(t,
				stack(40, "syscall.fsync /go/src/syscall/zsyscall.go:1", at(filesDir, "main.writeFiles DIR/main.go:"+strconv.Itoa(filesLine("f.Sync()"))), at(filesDir, "main.main DIR/main.go:"+strconv.Itoa(filesLine("// call"))), "runtime.main /go/src/runtime/proc.go:283"),
				stack(20, "os.RemoveAll /go/src/os/removeall.go:1", at(filesDir, "main.main DIR/main.go:"+strconv.Itoa(filesLine("} // end"))), "runtime.main /go/src/runtime/proc.go:283"))
		},
		kind: report.KindGoroutines, fn: "main.writeFiles", line: filesLine("// files"),
		speedup: 1 / (1 - 0.91 + 0.91/8),
		want:    []string{"in the loop at main.writeFiles (main.go:" + strconv.Itoa(filesLine("// files")) + ")", "Keep the inner loop at line " + strconv.Itoa(filesLine("// offsets")), "calls on f", "File system calls overlap less well"},
		notWant: []string{"calls from main.main", "its caller", "runtime.main"},
	}, {
		name: "files, trace only: the same loop without a call site from the profile",
		dir:  filesDir, report: func() *report.Report { return filesReport(filesLine) },
		kind: report.KindGoroutines, fn: "main.writeFiles", line: filesLine("// files"),
		speedup: 1 / (1 - 0.91 + 0.91/8),
		want:    []string{"in the loop at main.writeFiles", "Keep the inner loop"},
		notWant: []string{"calls from main.main", "its caller"},
	}, {
		name: "crash, trace only: callee and its caller's loop are one recommendation with the combined share",
		dir:  crashDir, report: func() *report.Report { return crashReport(crashLine) },
		kind: report.KindWorkers, fn: "main.main", line: crashLine("// loop"),
		speedup: 2, // share 1 on 2 cores
		want:    []string{"main.spin (main.go:" + strconv.Itoa(crashLine("x += i % 7")) + ") and main.main (main.go:" + strconv.Itoa(crashLine("// loop")) + ") are CPU-bound (100% of the run)", "The loop at main.main (main.go:" + strconv.Itoa(crashLine("// loop")) + ") repeats this work"},
		notWant: []string{"its callers", "call it at"},
	}, {
		name: "crash with a profile: spin inlined at the call site in main's loop",
		dir:  crashDir, report: func() *report.Report { return crashReport(crashLine) },
		profile: func() *profile.Profile {
			return buildProfile(t,
				smp{n: 66, locs: []loc{{at(crashDir, "main.spin DIR/main.go:"+strconv.Itoa(crashLine("x += i % 7"))), at(crashDir, "main.main DIR/main.go:"+strconv.Itoa(crashLine("total += spin")))}, {"runtime.main /go/src/runtime/proc.go:283"}}},
				stack(34, at(crashDir, "main.main DIR/main.go:"+strconv.Itoa(crashLine("// loop"))), "runtime.main /go/src/runtime/proc.go:283"))
		},
		kind: report.KindWorkers, fn: "main.main", line: crashLine("// loop"),
		speedup: 2,
		want:    []string{"and main.main", "The loop at main.main"},
		notWant: []string{"its callers", "runtime.main"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.report()
			var p *profile.Profile
			if tc.profile != nil {
				p = tc.profile()
			}
			if err := Advise(r, p, Options{ModuleDir: tc.dir}); err != nil {
				t.Fatal(err)
			}
			validate(t, r)
			checkRanked(t, r.Recommendations)
			var got []report.Recommendation
			for _, rec := range r.Recommendations {
				if rec.Kind == tc.kind {
					got = append(got, rec)
				}
				for _, s := range tc.notWant {
					if strings.Contains(rec.Text, s) {
						t.Errorf("%s text contains %q: %s", rec.Kind, s, rec.Text)
					}
				}
			}
			if len(got) != 1 {
				t.Fatalf("%d %s recommendations; want 1: %v", len(got), tc.kind, kinds(r.Recommendations))
			}
			c := got[0]
			if c.Function != tc.fn || c.File != "main.go" || c.Line != tc.line {
				t.Errorf("%s at %s %s:%d; want %s main.go:%d", c.Kind, c.Function, c.File, c.Line, tc.fn, tc.line)
			}
			if s := *c.EstimatedSpeedup; math.Abs(s-tc.speedup) > 0.01 {
				t.Errorf("estimate %v; want %v", s, tc.speedup)
			}
			for _, s := range tc.want {
				if !strings.Contains(c.Text, s) {
					t.Errorf("text lacks %q: %s", s, c.Text)
				}
			}
		})
	}
}

// TestAdviseWordingAndEstimates: texts say only what advisor knows about
// callers, and estimates neither ignore busy cores nor count one share twice.
func TestAdviseWordingAndEstimates(t *testing.T) {
	rootDir, rootLine := writeSource(t, `package main

func main() {
	x := 0
	x = x*31 + 7 // hot
	println(x)
}
`)
	cpuRoot := func(line int) *report.Report {
		r := report.NewReport()
		r.Target = target(1.5, 1.45, 2)
		r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 0.99, Breakdown: report.Breakdown{report.StateCPU: 0.99, report.StateSched: 0.01}}
		r.Hotpaths = []report.Hotpath{{Function: "main.main", File: "main.go", Line: line, Share: 0.95, Class: report.ClassCPU,
			Breakdown: report.Breakdown{report.StateCPU: 0.95}, Stack: []string{"main.main"}}}
		return r
	}
	for _, tc := range []struct {
		name    string
		dir     string
		report  func() *report.Report
		profile func() *profile.Profile
		check   func(t *testing.T, r *report.Report)
	}{{
		name: "main.main without source: no callers invented, runtime.main is not one",
		dir:  "/p", report: func() *report.Report { return cpuRoot(14) },
		profile: func() *profile.Profile {
			return buildProfile(t, stack(100, "main.main /p/main.go:14", "runtime.main /go/src/runtime/proc.go:283"))
		},
		check: func(t *testing.T, r *report.Report) {
			// Without source no loop was proven independent: the workers
			// advice is there, hedged, but never first.
			i := slices.IndexFunc(r.Recommendations, func(c report.Recommendation) bool { return c.Kind == report.KindWorkers })
			if i <= 0 {
				t.Fatalf("workers at index %d of %v; want it, not first (unproven)", i, kinds(r.Recommendations))
			}
			c := r.Recommendations[i]
			if c.Function != "main.main" || c.Line != 14 || !strings.HasPrefix(c.Text, "unverified: ") {
				t.Fatalf("workers at %s:%d: %s; want unverified, at main.main main.go:14", c.Function, c.Line, c.Text)
			}
			for _, bad := range []string{"its callers", "call it at", "runtime.main", "proc.go"} {
				if strings.Contains(c.Text, bad) {
					t.Errorf("text contains %q: %s", bad, c.Text)
				}
			}
			if !strings.Contains(c.Text, "could not read the source") {
				t.Errorf("text does not say the loop was not seen: %s", c.Text)
			}
		},
	}, {
		name: "main.main with source and no loop around the hot line: nothing to fan out",
		dir:  rootDir, report: func() *report.Report { return cpuRoot(rootLine("// hot")) },
		profile: func() *profile.Profile {
			return buildProfile(t, stack(100, fr("main.main "+rootDir+"/main.go:"+strconv.Itoa(rootLine("// hot"))), "runtime.main /go/src/runtime/proc.go:283"))
		},
		check: func(t *testing.T, r *report.Report) {
			for _, c := range r.Recommendations {
				if c.Kind == report.KindWorkers || c.Kind == report.KindGoroutines {
					t.Errorf("%s for code that runs once: %s", c.Kind, c.Text)
				}
			}
		},
	}, {
		name: "a rule's workers finding on busy cores: no workers",
		dir:  "/p", report: func() *report.Report {
			r := parallelReport()
			r.Findings = []report.Finding{{Rule: "parloop", Category: report.CategoryConcurrency, File: "main.go", Line: 19, Function: "main.digest",
				Message: "the iterations are independent", Recommendation: report.KindWorkers}}
			return r
		}, profile: func() *profile.Profile { return parallelProfile(t) },
		check: func(t *testing.T, r *report.Report) {
			if k := kinds(r.Recommendations); slices.Contains(k, report.KindWorkers) || slices.Contains(k, report.KindGoroutines) {
				t.Errorf("kinds %v on saturated cores", k)
			}
		},
	}, {
		name: "a rule's workers finding on idle cores: Amdahl over the cores, not a generic fix",
		dir:  "/p", report: func() *report.Report {
			r := mandelbrotReport()
			r.Findings = []report.Finding{{Rule: "parloop", Category: report.CategoryConcurrency, File: "main.go", Line: 27, Function: "main.render",
				Message: "the iterations are independent", Recommendation: report.KindWorkers}}
			return r
		}, profile: func() *profile.Profile { return mandelbrotProfile(t) },
		check: func(t *testing.T, r *report.Report) {
			var ws []report.Recommendation
			for _, c := range r.Recommendations {
				if c.Kind == report.KindWorkers {
					ws = append(ws, c)
				}
			}
			if len(ws) != 1 {
				t.Fatalf("%d workers recommendations; want 1 (the finding covers the hot path): %v", len(ws), kinds(r.Recommendations))
			}
			p := *r.Findings[0].HotShare
			want := 1 / ((1 - p) + p/4)
			if s := *ws[0].EstimatedSpeedup; math.Abs(s-want) > 0.01 || !strings.Contains(ws[0].Text, "runtime.GOMAXPROCS(0)") {
				t.Errorf("workers %v: %s; want estimate %v", s, ws[0].Text, want)
			}
		},
	}, {
		name: "two sequential-I/O loops in one function share its wait: one recommendation",
		dir:  "/p", report: func() *report.Report {
			r := fetchReport(true)
			r.Findings = append(r.Findings, report.Finding{Rule: "sequentialio", Category: report.CategoryConcurrency, File: "main.go", Line: 45, Function: "main.main",
				Message: "fetch waits on the network in every iteration", Recommendation: report.KindGoroutines})
			return r
		}, profile: func() *profile.Profile { return fetchProfile(t) },
		check: func(t *testing.T, r *report.Report) {
			var gs []report.Recommendation
			for _, c := range r.Recommendations {
				if c.Kind == report.KindGoroutines {
					gs = append(gs, c)
				}
			}
			if len(gs) != 1 || len(gs[0].Findings) != 2 {
				t.Fatalf("goroutines recommendations %+v; want one citing both findings", gs)
			}
			if want := 1 / (0.07 + 0.93/8); math.Abs(*gs[0].EstimatedSpeedup-want) > 0.01 {
				t.Errorf("estimate %v; want %v (the function's share, once)", *gs[0].EstimatedSpeedup, want)
			}
			if !strings.Contains(gs[0].Text, "main.go:45") {
				t.Errorf("text does not name the second loop: %s", gs[0].Text)
			}
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.report()
			if err := Advise(r, tc.profile(), Options{ModuleDir: tc.dir}); err != nil {
				t.Fatal(err)
			}
			validate(t, r)
			checkRanked(t, r.Recommendations)
			tc.check(t, r)
			if t.Failed() {
				for _, rec := range r.Recommendations {
					t.Logf("%s %v: %s", rec.Kind, speedupOr(rec.EstimatedSpeedup), rec.Text)
				}
			}
		})
	}
}

// A benchmark's b.Loop (or b.N) loop repeats the work only to time it:
// concurrency advice must not point there, with or without a profile.
func TestAdviseWorkersNotOnBenchmarkLoop(t *testing.T) {
	dir := t.TempDir()
	const lib = "package work\n\nfunc Fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn Fib(n-1) + Fib(n-2) // hot\n}\n"
	const bench = "package work\n\nimport \"testing\"\n\nfunc BenchmarkFib(b *testing.B) {\n\tfor b.Loop() {\n\t\tFib(25) // call\n\t}\n}\n"
	for name, src := range map[string]string{"work.go": lib, "work_test.go": bench} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const fib, bfib = "example.com/m/work.Fib", "example.com/m/work.BenchmarkFib"
	newRep := func() *report.Report {
		r := report.NewReport()
		r.Target = target(1.3, 1.3, 2)
		r.Summary = &report.Summary{Class: report.ClassCPU, CoresUsed: 1, Breakdown: report.Breakdown{report.StateCPU: 1}}
		r.Hotpaths = []report.Hotpath{{Function: fib, File: "work.go", Line: 7, Share: 1, Class: report.ClassCPU,
			Breakdown: report.Breakdown{report.StateCPU: 1}, Stack: []string{bfib, fib}, MaxDepth: 22}}
		return r
	}
	withProfile := buildProfile(t, stack(130, fr(fib+" "+dir+"/work.go:7"), fr(bfib+" "+dir+"/work_test.go:7"),
		"testing.(*B).runN /go/src/testing/benchmark.go:1"))
	for name, p := range map[string]*profile.Profile{"trace only": nil, "with profile": withProfile} {
		t.Run(name, func(t *testing.T) {
			r := newRep()
			if err := Advise(r, p, Options{ModuleDir: dir}); err != nil {
				t.Fatal(err)
			}
			validate(t, r)
			for _, rec := range r.Recommendations {
				if rec.Kind == report.KindWorkers || strings.Contains(rec.Text, "BenchmarkFib") {
					t.Errorf("%s recommendation on the benchmark harness: %s", rec.Kind, rec.Text)
				}
			}
		})
	}
}
