package advise

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/google/pprof/profile"
)

// fr is one frame of a synthetic sample: "func file:line".
type fr string

func (f fr) parts() (fn, file string, line int) {
	fn, pos, _ := strings.Cut(string(f), " ")
	file, l, _ := strings.Cut(pos, ":")
	line, _ = strconv.Atoi(l)
	return fn, file, line
}

// loc is one Location: its frames innermost first (more than one = inlined).
type loc []fr

// smp is one synthetic sample: a CPU value and its locations, leaf first.
type smp struct {
	n    int // how many identical samples
	locs []loc
}

// stack builds a sample whose locations each hold one frame, leaf first.
func stack(n int, frames ...fr) smp {
	s := smp{n: n}
	for _, f := range frames {
		s.locs = append(s.locs, loc{f})
	}
	return s
}

// buildProfile makes a CPU profile of 10ms samples, as the Go runtime writes them.
func buildProfile(t testing.TB, samples ...smp) *profile.Profile {
	t.Helper()
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
	}
	funcs := map[string]*profile.Function{}
	fn := func(name, file string) *profile.Function {
		if f, ok := funcs[name]; ok {
			return f
		}
		f := &profile.Function{ID: uint64(len(funcs) + 1), Name: name, SystemName: name, Filename: file}
		funcs[name] = f
		p.Function = append(p.Function, f)
		return f
	}
	locs := map[string]*profile.Location{}
	for _, s := range samples {
		var ls []*profile.Location
		for _, l := range s.locs {
			key := ""
			for _, f := range l {
				key += string(f) + "|"
			}
			pl, ok := locs[key]
			if !ok {
				pl = &profile.Location{ID: uint64(len(locs) + 1), Address: uint64(0x1000 + len(locs))}
				for _, f := range l {
					name, file, line := f.parts()
					pl.Line = append(pl.Line, profile.Line{Function: fn(name, file), Line: int64(line)})
				}
				locs[key] = pl
				p.Location = append(p.Location, pl)
			}
			ls = append(ls, pl)
		}
		for range s.n {
			p.Sample = append(p.Sample, &profile.Sample{Location: ls, Value: []int64{1, 10_000_000}})
		}
	}
	if err := p.CheckValid(); err != nil {
		t.Fatalf("synthetic profile is invalid: %v", err)
	}
	return p
}

func TestIndexProfile(t *testing.T) {
	const dir = "/src/prog"
	p := buildProfile(t,
		// fib recursing: counted once per sample in Cum however deep.
		stack(6, "main.fib /src/prog/main.go:14", "main.fib /src/prog/main.go:14", "main.fib /src/prog/main.go:14", "main.main /src/prog/main.go:22"),
		stack(2, "main.fib /src/prog/main.go:12", "main.main /src/prog/main.go:22"),
		// escape inlined into render: one location, two lines, innermost first.
		smp{n: 10, locs: []loc{{"main.escape /src/prog/main.go:5", "main.render /src/prog/main.go:30"}, {"main.main /src/prog/main.go:40"}}},
		stack(2, "runtime.mallocgc /go/src/runtime/malloc.go:1000", "main.render /src/prog/main.go:28", "main.main /src/prog/main.go:40"),
	)
	ix, err := IndexProfile(p, dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Samples != 20 || ix.Total != 20*10_000_000 || ix.Unit != "cpu/nanoseconds" {
		t.Fatalf("samples %d total %d unit %q; want 20, 2e8, cpu/nanoseconds", ix.Samples, ix.Total, ix.Unit)
	}
	for _, tc := range []struct {
		name      string
		got       Weight
		flat, cum int64 // in samples
	}{
		{"func main.fib", ix.Func("main.fib"), 8, 8},
		{"func main.main", ix.Func("main.main"), 0, 20},
		{"func main.escape (inlined)", ix.Func("main.escape"), 10, 10},
		{"func main.render", ix.Func("main.render"), 0, 12},
		{"line main.go:14 (recursive, once per sample)", ix.Line("main.go", 14), 6, 6},
		{"line main.go:30 (inlined call site)", ix.Line("main.go", 30), 0, 10},
		{"line main.go:5 (inlined leaf)", ix.Line("main.go", 5), 10, 10},
		{"line by longer relative path does not match", ix.Line("x/main.go", 5), 0, 0},
		{"line never sampled", ix.Line("main.go", 99), 0, 0},
	} {
		if tc.got.Flat != tc.flat*10_000_000 || tc.got.Cum != tc.cum*10_000_000 {
			t.Errorf("%s: flat %d cum %d samples; want %d %d", tc.name, tc.got.Flat/10_000_000, tc.got.Cum/10_000_000, tc.flat, tc.cum)
		}
	}
	caller, at, ok := ix.TopCaller("main.escape")
	if !ok || caller != "main.render" || at != (Site{"main.go", 30}) {
		t.Errorf("TopCaller(main.escape) = %s %v %v; want main.render main.go:30", caller, at, ok)
	}
	if caller, _, _ := ix.TopCaller("main.fib"); caller != "main.main" {
		t.Errorf("TopCaller(main.fib) = %q; want main.main (recursion is not a call site)", caller)
	}
	if got := ix.allocAt("main.go", 28); got != 2*10_000_000 {
		t.Errorf("allocation below main.go:28 = %d; want 2 samples", got)
	}
}

func TestIndexProfileWithoutModuleDirMatchesBySuffix(t *testing.T) {
	p := buildProfile(t, stack(3, "main.f /src/prog/cmd/x/main.go:7", "main.main /src/prog/cmd/x/main.go:3"))
	ix, err := IndexProfile(p, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.Line("cmd/x/main.go", 7).Cum; got != 3*10_000_000 {
		t.Errorf("cum at cmd/x/main.go:7 = %d; want 3 samples", got)
	}
	if got := ix.Line("d/x/main.go", 7).Cum; got != 0 {
		t.Errorf("cum at d/x/main.go:7 = %d; want 0 (not a path boundary)", got)
	}
}

func TestIndexProfileErrors(t *testing.T) {
	if _, err := IndexProfile(nil, ""); err == nil {
		t.Error("nil profile: no error")
	}
	if _, err := IndexProfile(&profile.Profile{}, ""); err == nil || !strings.Contains(err.Error(), "sample types") {
		t.Errorf("profile without sample types: err = %v", err)
	}
}

func TestIndexProfileSignals(t *testing.T) {
	p := buildProfile(t,
		stack(4, "runtime.newstack /go/src/runtime/stack.go:1", "runtime.morestack /go/src/runtime/asm.s:1", "main.walk /p/main.go:9", "main.walk /p/main.go:9", "main.main /p/main.go:20"),
		stack(4, "main.walk /p/main.go:8", "main.main /p/main.go:20"),
		stack(2, "runtime.gcDrain /go/src/runtime/mgcmark.go:1", "runtime.gcBgMarkWorker /go/src/runtime/mgc.go:1"),
	)
	ix, err := IndexProfile(p, "/p")
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.StackGrowth("main.walk"); math.Abs(got-0.4) > 1e-9 {
		t.Errorf("StackGrowth(main.walk) = %v; want 0.4", got)
	}
	if got := ix.StackGrowth("main.other"); got != 0 {
		t.Errorf("StackGrowth(main.other) = %v; want 0", got)
	}
	if got := ix.GC(); math.Abs(got-0.2) > 1e-9 {
		t.Errorf("GC() = %v; want 0.2", got)
	}
	// A nil index answers zero everywhere (no profile collected).
	var none *SampleIndex
	if none.Func("x").Cum != 0 || none.Line("a.go", 1).Cum != 0 || none.GC() != 0 || none.StackGrowth("x") != 0 {
		t.Error("nil index is not empty")
	}
}

// FuzzAdvise hands Advise whatever profile.Parse accepts: it must never panic
// and must always produce a report that matches the schema.
func FuzzAdvise(f *testing.F) {
	var buf bytes.Buffer
	p := buildProfile(f, stack(60, "main.fib /p/main.go:14", "main.main /p/main.go:22"))
	if err := p.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	buf.Reset()
	if err := p.WriteUncompressed(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := profile.ParseData(data)
		if err != nil {
			return
		}
		r := fibReport()
		if err := Advise(r, p, Options{ModuleDir: "/p"}); err != nil {
			return
		}
		validate(t, r)
	})
}

func TestIndexProfileCountsAggregatedSamples(t *testing.T) {
	// The Go runtime writes one pprof sample per distinct stack, with the
	// number of profiler samples in the "samples" column.
	p := buildProfile(t, stack(1, "main.f /p/main.go:3"))
	p.Sample[0].Value = []int64{90, 900_000_000}
	ix, err := IndexProfile(p, "/p")
	if err != nil {
		t.Fatal(err)
	}
	if ix.Samples != 90 {
		t.Errorf("Samples = %d; want 90", ix.Samples)
	}
}

func TestSampledDir(t *testing.T) {
	p := buildProfile(t,
		stack(3, "m/p.f /src/mod/p/p.go:7", "main.main /src/mod/main.go:3"),
		stack(1, "strings.Index /go/src/strings/strings.go:40", "main.main /src/mod/main.go:3"),
	)
	ix, err := IndexProfile(p, "/src/mod")
	if err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]bool{
		"p": true, ".": true, "strings": true, // strings: a trailing path of a file outside the module
		"q": false, "p/sub": false, "rings": false,
	} {
		if got := ix.SampledDir(dir); got != want {
			t.Errorf("SampledDir(%q) = %v, want %v", dir, got, want)
		}
	}
}

func TestFindingShareOverLines(t *testing.T) {
	// An inner search loop on lines 10-14: its time is on the range line
	// and the comparison; the function f has 10 samples in all.
	p := buildProfile(t,
		stack(3, "m/p.f /src/mod/p/p.go:10", "main.main /src/mod/main.go:3"),
		stack(5, "m/p.f /src/mod/p/p.go:11", "main.main /src/mod/main.go:3"),
		stack(2, "m/p.f /src/mod/p/p.go:20", "main.main /src/mod/main.go:3"),
		// f recursing: a sample holding lines 10 and 11 counts on both.
		stack(1, "m/p.f /src/mod/p/p.go:11", "m/p.f /src/mod/p/p.go:10", "main.main /src/mod/main.go:3"),
	)
	ix, err := IndexProfile(p, "/src/mod")
	if err != nil {
		t.Fatal(err)
	}
	one := report.Finding{Rule: "linearsearch", Category: report.CategoryLookup, File: "p/p.go", Line: 10, Function: "m/p.f"}
	span := one
	span.EndLine = 14
	all := one
	all.EndLine = 20
	for _, tc := range []struct {
		name string
		f    report.Finding
		want float64
	}{
		{"first line only", one, 4.0 / 11},
		{"all its lines", span, 10.0 / 11},
		{"at most the function's share", all, 11.0 / 11},
	} {
		if got := FindingShare(ix, tc.f); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: share %.3f, want %.3f", tc.name, got, tc.want)
		}
	}
}
