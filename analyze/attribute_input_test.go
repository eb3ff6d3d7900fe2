package analyze

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

func TestParseCPUProfileErrors(t *testing.T) {
	var heap bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&heap, 0); err != nil {
		t.Fatal(err)
	}
	var gzGarbage bytes.Buffer
	zw := gzip.NewWriter(&gzGarbage)
	zw.Write([]byte("not a protobuf at all \xff\xff\xff"))
	zw.Close()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "CPU profile is empty"},
		{"blank", " \n", "CPU profile is empty"},
		{"text", "hello, world\n", "CPU profile is corrupt"},
		{"gzip garbage", gzGarbage.String(), "CPU profile is corrupt"},
		{"heap profile", heap.String(), "not a CPU profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCPUProfile(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error")
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line containing %q", err, tt.want)
			}
		})
	}
}

func TestAttributeInputErrors(t *testing.T) {
	if _, err := Attribute(AttributeOptions{}); err == nil {
		t.Errorf("no inputs: no error")
	}
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "trace file is empty"},
		{"not a trace", "hello, world, this is not a trace\n", "trace is corrupt"},
		{"header only", "go 1.26 trace\x00\x00\x00", "trace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Attribute(AttributeOptions{Trace: strings.NewReader(tt.in)})
			if err == nil {
				t.Fatalf("no error")
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line containing %q", err, tt.want)
			}
		})
	}
}

// attrRecordGenerations records a trace of work in several generations
// (registering a flight recorder makes the runtime start a new one), so
// that a cut in the last one leaves complete earlier ones.
func attrRecordGenerations(t *testing.T, work func()) []byte {
	t.Helper()
	var tb bytes.Buffer
	if err := trace.Start(&tb); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		work()
		fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{})
		if err := fr.Start(); err != nil {
			trace.Stop()
			t.Fatal(err)
		}
		fr.Stop()
	}
	work()
	trace.Stop()
	return tb.Bytes()
}

func TestAttributeTruncatedTrace(t *testing.T) {
	td := attrRecordGenerations(t, func() { attrSleeper(3, 5*time.Millisecond) })
	full, err := Attribute(AttributeOptions{OwnCode: attrTestOwn, Trace: bytes.NewReader(td)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range full.Errors {
		if strings.Contains(e, "partial") {
			t.Errorf("complete trace: warning %q", e)
		}
	}
	cut := td[:len(td)-len(td)/10]
	r, err := Attribute(AttributeOptions{OwnCode: attrTestOwn, Trace: bytes.NewReader(cut)})
	if err != nil {
		t.Fatalf("truncated trace: %v", err)
	}
	attrCheckSchema(t, r)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0], "partial") {
		t.Errorf("truncated trace: errors %q, want one warning about a partial result", r.Errors)
	}
	if r.Target.WallSeconds <= 0 || r.Target.WallSeconds >= full.Target.WallSeconds {
		t.Errorf("truncated wall %gs, want in (0, %g)", r.Target.WallSeconds, full.Target.WallSeconds)
	}
	if r.Summary.Class != report.ClassSleep {
		t.Errorf("truncated trace: class %q, want sleep\n%s", r.Summary.Class, attrDump(r))
	}

	// Cut inside the first generation: nothing of the trace is readable.
	// With a CPU profile there is still a (CPU-only) result.
	first := td[:200]
	if _, err := Attribute(AttributeOptions{Trace: bytes.NewReader(first)}); err == nil ||
		!strings.Contains(err.Error(), "ends before its first complete section") {
		t.Errorf("trace cut in its first section: err %v", err)
	}
	_, cd := attrRecord(t, func() error { attrFib(30); return nil })
	p, err := ParseCPUProfile(bytes.NewReader(cd))
	if err != nil {
		t.Fatal(err)
	}
	r, err = Attribute(AttributeOptions{OwnCode: attrTestOwn, CPU: p, Trace: bytes.NewReader(first)})
	if err != nil {
		t.Fatalf("with a CPU profile to fall back on: %v", err)
	}
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "falling back to the CPU profile") {
		t.Errorf("errors %q, want the fallback warning", r.Errors)
	}
}

// attrFibProfile records a CPU profile of attrFib(34), run again and again
// until at least 3 samples hold attrFib: under the race detector most
// samples land in its C code, with no Go frame above (racecall: 80 to 90%
// of a race build's fib samples), and a busy machine gives few samples,
// so one run can hold none of attrFib. It skips the test when 8 runs do not.
func attrFibProfile(t *testing.T) *profile.Profile {
	t.Helper()
	for runs := 1; runs <= 8; runs *= 2 {
		_, cd := attrRecord(t, func() error {
			for range runs {
				attrFib(34)
			}
			return nil
		})
		p, err := ParseCPUProfile(bytes.NewReader(cd))
		if err != nil {
			t.Fatal(err)
		}
		own := 0
		for _, s := range p.Sample {
			for _, l := range s.Location {
				if len(l.Line) > 0 && l.Line[0].Function != nil && l.Line[0].Function.Name == attrPkg+"attrFib" {
					own++
					break
				}
			}
		}
		if own >= 3 {
			return p
		}
	}
	t.Skip("the CPU profiler caught attrFib in fewer than 3 samples (machine too busy?)")
	return nil
}

func TestAttributeCPUProfileOnly(t *testing.T) {
	p := attrFibProfile(t)
	r, err := Attribute(AttributeOptions{OwnCode: attrTestOwn, CPU: p})
	if err != nil {
		t.Fatal(err)
	}
	attrCheckSchema(t, r)
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "no execution trace") {
		t.Errorf("errors %q, want the no-trace warning", r.Errors)
	}
	if r.Summary.Class != report.ClassCPU || len(r.Hotpaths) == 0 || r.Hotpaths[0].Function != attrPkg+"attrFib" {
		t.Fatalf("CPU-only: want class cpu, top attrFib\n%s", attrDump(r))
	}
	if r.Hotpaths[0].MaxDepth < 10 {
		t.Errorf("max_depth %d, want >= 10", r.Hotpaths[0].MaxDepth)
	}
	if r.Target.CPUSeconds <= 0 || r.Target.WallSeconds <= 0 {
		t.Errorf("cpu %gs wall %gs, want both > 0", r.Target.CPUSeconds, r.Target.WallSeconds)
	}
}

// A trace recorded without the CPU profiler has no samples; a CPU profile
// from another run of the same program then says where running time goes.
//
// The trace is recorded by a child process (this test binary run again):
// traced in the test process itself, it also caught what earlier tests left
// behind (goroutines parked on channels, a profiler's samples) and under
// load said "sync" instead of "cpu".
func TestAttributeTraceWithoutSamples(t *testing.T) {
	if out := os.Getenv("ADVISOR_TEST_TRACE_ONLY"); out != "" {
		var tb bytes.Buffer
		if err := trace.Start(&tb); err != nil {
			t.Fatal(err)
		}
		attrFib(32)
		trace.Stop()
		if err := os.WriteFile(out, tb.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if testing.Short() {
		t.Skip("runs the test binary again to record a trace")
	}
	out := filepath.Join(t.TempDir(), "fib.trace")
	child := exec.Command(os.Args[0], "-test.run=^TestAttributeTraceWithoutSamples$", "-test.count=1")
	child.Env = append(os.Environ(), "ADVISOR_TEST_TRACE_ONLY="+out)
	if b, err := child.CombinedOutput(); err != nil {
		t.Fatalf("recording the trace in a child: %v\n%s", err, b)
	}
	traceData, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	tb := bytes.NewBuffer(traceData)
	p := attrFibProfile(t)
	alone, err := Attribute(AttributeOptions{OwnCode: attrTestOwn, Trace: bytes.NewReader(tb.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	if len(alone.Errors) != 1 || !strings.Contains(alone.Errors[0], "no CPU samples") {
		t.Errorf("errors %q, want the no-samples warning", alone.Errors)
	}
	if alone.Summary.Class != report.ClassCPU {
		t.Errorf("trace alone: class %q, want cpu", alone.Summary.Class)
	}
	r, err := Attribute(AttributeOptions{OwnCode: attrTestOwn, Trace: bytes.NewReader(tb.Bytes()), CPU: p})
	if err != nil {
		t.Fatal(err)
	}
	attrCheckSchema(t, r)
	if len(r.Errors) != 0 {
		t.Errorf("errors %q, want none", r.Errors)
	}
	if r.Summary.Class != report.ClassCPU || len(r.Hotpaths) == 0 || r.Hotpaths[0].Function != attrPkg+"attrFib" {
		t.Errorf("want class cpu, top attrFib\n%s", attrDump(r))
	}
}

func TestAttributeExcludesHook(t *testing.T) {
	td, cd := attrRecord(t, func() error { attrSleepWithHook(); return nil })
	p, err := ParseCPUProfile(bytes.NewReader(cd))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Attribute(AttributeOptions{
		OwnCode:    attrTestOwn,
		HookPrefix: attrPkg + "attrHook",
		CPU:        p,
		Trace:      bytes.NewReader(td),
	})
	if err != nil {
		t.Fatal(err)
	}
	attrCheckSchema(t, r)
	t.Logf("%s", attrDump(r))
	for _, hp := range r.Hotpaths {
		if strings.HasPrefix(hp.Function, attrPkg+"attrHook") {
			t.Errorf("hook function %s is a hot path", hp.Function)
		}
	}
	if r.Summary.Class != report.ClassSleep {
		t.Errorf("class %q, want sleep: the hook's computing is not the program's", r.Summary.Class)
	}
	if len(r.Hotpaths) == 0 || r.Hotpaths[0].Function != attrPkg+"attrSleeper" {
		t.Errorf("top hot path is not attrSleeper")
	}
	// Under the race detector starting and stopping the tracer costs the
	// test goroutine itself tens of milliseconds of CPU in this 0.1 s run.
	if r.Summary.CoresUsed > 0.5 && !attrRace {
		t.Errorf("cores_used %g: the hook's CPU was counted", r.Summary.CoresUsed)
	}
}

// attrProfileOf builds a minimal CPU profile with one sample per stack
// (innermost frame first, "fn" or "fn@file") and value ns, for attribution
// rules that real profiles make hard to pin down.
func attrProfileOf(ns int64, stacks ...[]string) *profile.Profile {
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		DurationNanos: int64(time.Second),
	}
	fns := map[string]*profile.Function{}
	for _, st := range stacks {
		s := &profile.Sample{Value: []int64{1, ns}}
		for i, frame := range st {
			name, file, _ := strings.Cut(frame, "@")
			f := fns[frame]
			if f == nil {
				if file == "" {
					file = "/go/src/" + FuncPackage(name) + "/x.go"
					if FuncPackage(name) == "main" {
						file = "/m/main.go"
					}
				}
				f = &profile.Function{ID: uint64(len(fns) + 1), Name: name, Filename: file}
				fns[frame] = f
				p.Function = append(p.Function, f)
			}
			loc := &profile.Location{ID: uint64(len(p.Location) + 1), Line: []profile.Line{{Function: f, Line: int64(10 + i)}}}
			p.Location = append(p.Location, loc)
			s.Location = append(s.Location, loc)
		}
		p.Sample = append(p.Sample, s)
	}
	return p
}

func TestAttributeCPUProfileRules(t *testing.T) {
	p := attrProfileOf(int64(10*time.Millisecond),
		[]string{"strconv.Itoa", "main.work", "main.main", "runtime.main", "runtime.goexit"},
		[]string{"strconv.Itoa", "main.work", "main.main", "runtime.main", "runtime.goexit"},
		[]string{"os.(*File).Read", "main.read", "main.main", "runtime.main", "runtime.goexit"},
		[]string{"internal/sync.(*Mutex).lockSlow", "sync.(*Mutex).Lock", "main.locked", "main.main", "runtime.main"},
		[]string{"runtime.gcAssistAlloc", "runtime.mallocgc", "main.alloc", "main.main", "runtime.main"},
		[]string{"main.rec", "main.rec", "main.rec", "main.main", "runtime.main"},
		[]string{"runtime.gcBgMarkWorker", "runtime.goexit"},                               // system: excluded
		[]string{"main.advisorHookFlush", "runtime/pprof.profileWriter"},                   // profiler: excluded
		[]string{"runtime.memmove", "main.advisorHookStart", "main.init", "runtime.main"},  // hook: excluded
		[]string{"runtime.newobject", "main.init@/m/0000_advisor_hook.go", "runtime.main"}, // hook's init: excluded
		[]string{"strings.Index", "example.com/dep.Find", "main.main", "runtime.main"},
	)
	r, err := Attribute(AttributeOptions{CPU: p, ModuleDir: "/m"})
	if err != nil {
		t.Fatal(err)
	}
	attrCheckSchema(t, r)
	got := map[string]report.Hotpath{}
	for _, hp := range r.Hotpaths {
		got[hp.Function] = hp
	}
	want := map[string]struct {
		class string
		share float64
		depth int
	}{
		"main.work":   {report.ClassCPU, 2.0 / 7, 0},
		"main.read":   {report.ClassIO, 1.0 / 7, 0},
		"main.locked": {report.ClassSync, 1.0 / 7, 0},
		"main.alloc":  {report.ClassCPU, 1.0 / 7, 0},
		"main.rec":    {report.ClassCPU, 1.0 / 7, 3},
		"main.main":   {report.ClassCPU, 1.0 / 7, 0}, // dependency code counts where own code called it
	}
	if len(got) != len(want) {
		t.Errorf("hot paths %v, want %d", r.Hotpaths, len(want))
	}
	for fn, w := range want {
		hp, ok := got[fn]
		if !ok {
			t.Errorf("no hot path %s", fn)
			continue
		}
		if hp.Class != w.class || hp.MaxDepth != w.depth || hp.Share < w.share-1e-9 || hp.Share > w.share+1e-9 {
			t.Errorf("%s: class %s share %g depth %d, want %s %g %d", fn, hp.Class, hp.Share, hp.MaxDepth, w.class, w.share, w.depth)
		}
	}
	if hp := got["main.work"]; hp.File != "main.go" || hp.Line != 11 || strings.Join(hp.Stack, " ") != "main.main main.work" {
		t.Errorf("main.work at %s:%d stack %v, want main.go:11, [main.main main.work]", hp.File, hp.Line, hp.Stack)
	}
	if g := r.Summary.Breakdown[report.StateGC]; g < 1.0/7-1e-9 || g > 1.0/7+1e-9 {
		t.Errorf("gc share %g, want 1/7", g)
	}
	if c := r.Target.CPUSeconds; c < 0.0699 || c > 0.0701 {
		t.Errorf("cpu_seconds %g, want 0.07 (hook and system samples excluded)", c)
	}
}

func TestAttributeMaxHotpaths(t *testing.T) {
	var stacks [][]string
	for _, fn := range []string{"main.a", "main.b", "main.c"} {
		stacks = append(stacks, []string{fn, "main.main", "runtime.main"})
	}
	for _, tt := range []struct{ max, want int }{{0, 3}, {2, 2}, {-1, 3}} {
		r, err := Attribute(AttributeOptions{CPU: attrProfileOf(1e6, stacks...), MaxHotpaths: tt.max})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hotpaths) != tt.want {
			t.Errorf("MaxHotpaths %d: %d hot paths, want %d", tt.max, len(r.Hotpaths), tt.want)
		}
	}
}

func TestAttributeOwnCodeDefaults(t *testing.T) {
	a := newAttributor(&AttributeOptions{ModulePath: "example.com/m", ModuleDir: "/src/m", HookPrefix: DefaultHookPrefix})
	for _, tt := range []struct {
		fn, file string
		own      bool
	}{
		{"main.main", "/src/m/cmd/x/main.go", true},
		{"main.advisorHookStart", "/src/m/cmd/x/0000_advisor_hook.go", false},
		{"main.advisorHookStart.func1", "/src/m/cmd/x/0000_advisor_hook.go", false},
		{"main.(*advisorHookState).stop", "/src/m/cmd/x/0000_advisor_hook.go", false},
		{"main.advisorHookLimitWriter.Write", "/src/m/cmd/x/0000_advisor_hook.go", false},
		{"main.(*state).stop", "/src/m/cmd/x/main.go", true},
		{"main._Cfunc_spin", "_cgo_gotypes.go", false},
		{"example.com/m/c._cgo_cmalloc", "_cgo_gotypes.go", false},
		{"main.main", "/tmp/go-build/b001/_testmain.go", false},
		{"example.com/m/internal/p.(*T).M", "example.com/m/internal/p/p.go", true},
		{"example.com/mother.F", "/x/mother.go", false},
		{"example.com/dep.F", "/src/m/vendor/example.com/dep/f.go", false},
		{"fmt.Println", "/usr/local/go/src/fmt/print.go", false},
		{"example.com/other.F", "/src/m/other/f.go", true}, // under the module dir
	} {
		if got := a.isOwn(tt.fn, tt.file); got != tt.own {
			t.Errorf("isOwn(%s, %s) = %v, want %v", tt.fn, tt.file, got, tt.own)
		}
	}
	for in, want := range map[string]string{
		"/src/m/cmd/x/main.go":     "cmd/x/main.go",
		"example.com/m/p/p.go":     "p/p.go", // -trimpath
		"/usr/local/go/src/fmt.go": "/usr/local/go/src/fmt.go",
	} {
		if got := a.relFile(in); got != want {
			t.Errorf("relFile(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestAttributeRelativeModuleDir(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	a := newAttributor(&AttributeOptions{ModuleDir: "testdata", HookPrefix: DefaultHookPrefix})
	if got := a.relFile(filepath.Join(wd, "testdata", "attr", "x.go")); got != "attr/x.go" {
		t.Errorf("relFile = %q, want attr/x.go", got)
	}
}

// A trace of the start of a longer run (size-limited) describes only its
// window; whole-run CPU comes from the CPU profile.
func TestAttributePartialWindow(t *testing.T) {
	td, cd := attrRecord(t, func() error { attrFib(32); return nil })
	p, err := ParseCPUProfile(bytes.NewReader(cd))
	if err != nil {
		t.Fatal(err)
	}
	base, err := Attribute(AttributeOptions{OwnCode: attrTestOwn, Trace: bytes.NewReader(td)})
	if err != nil {
		t.Fatal(err)
	}
	wall := 10 * time.Duration(base.Target.WallSeconds*1e9)
	for _, cpu := range []*profile.Profile{nil, p} {
		r, err := Attribute(AttributeOptions{OwnCode: attrTestOwn, Trace: bytes.NewReader(td), CPU: cpu, Wall: wall})
		if err != nil {
			t.Fatal(err)
		}
		attrCheckSchema(t, r)
		if r.Target.WallSeconds != wall.Seconds() {
			t.Errorf("wall %g, want the given %g", r.Target.WallSeconds, wall.Seconds())
		}
		if len(r.Errors) == 0 || !strings.Contains(strings.Join(r.Errors, "|"), "the trace covers") {
			t.Errorf("errors %q, want a note that the trace covers part of the run", r.Errors)
		}
		// cores_used is cpu_seconds / wall_seconds, whatever the source.
		if c := r.Target.CPUSeconds / r.Target.WallSeconds; c < r.Summary.CoresUsed-1e-9 || c > r.Summary.CoresUsed+1e-9 {
			t.Errorf("cores_used %g, cpu/wall %g", r.Summary.CoresUsed, c)
		}
		if cpu == nil {
			// Extrapolated from the window: busy cores as in the window.
			if d := r.Summary.CoresUsed - base.Summary.CoresUsed; d > 1e-6 || d < -1e-6 {
				t.Errorf("cores_used %g, want the window's %g", r.Summary.CoresUsed, base.Summary.CoresUsed)
			}
		} else if len(p.Sample) > 0 {
			// CPU seconds are the profile's whole total outside the hook
			// (GC workers included), not just the attributed part.
			_, total := newAttributor(&AttributeOptions{OwnCode: attrTestOwn, HookPrefix: DefaultHookPrefix}).cpuTotal(p)
			if got := r.Target.CPUSeconds; got != total/1e9 {
				t.Errorf("cpu_seconds %g, want the profile's %g", got, total/1e9)
			}
		}
	}
}
