package analyze

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"
)

// attrTestOwn makes attribute_workload_test.go the "target's own code".
func attrTestOwn(fn, file string) bool {
	return strings.HasSuffix(file, "/attribute_workload_test.go")
}

// attrRecord runs work under the execution tracer and the CPU profiler, as
// the advisor hook does for a real target, and returns both outputs.
func attrRecord(t testing.TB, work func() error) (traceData, cpuData []byte) {
	t.Helper()
	var tb, cb bytes.Buffer
	if err := trace.Start(&tb); err != nil {
		t.Fatalf("trace.Start: %v", err)
	}
	if err := pprof.StartCPUProfile(&cb); err != nil {
		trace.Stop()
		t.Fatalf("StartCPUProfile: %v", err)
	}
	err := work()
	pprof.StopCPUProfile()
	trace.Stop()
	if err != nil {
		t.Fatalf("workload: %v", err)
	}
	return tb.Bytes(), cb.Bytes()
}

// attrAnalyze attributes recorded outputs with the test's own-code rule.
func attrAnalyze(t testing.TB, traceData, cpuData []byte) *report.Report {
	t.Helper()
	o := AttributeOptions{OwnCode: attrTestOwn, ModuleDir: attrModuleDir(t)}
	if cpuData != nil {
		p, err := ParseCPUProfile(bytes.NewReader(cpuData))
		if err != nil {
			t.Fatalf("ParseCPUProfile: %v", err)
		}
		o.CPU = p
	}
	if traceData != nil {
		o.Trace = bytes.NewReader(traceData)
	}
	r, err := Attribute(o)
	if err != nil {
		t.Fatalf("Attribute: %v", err)
	}
	attrCheckSchema(t, r)
	return r
}

// attrModuleDir is the repository root: the module of this test.
func attrModuleDir(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

func attrCheckSchema(t testing.TB, r *report.Report) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := docs.ValidateReport(b); err != nil {
		t.Fatalf("report does not validate: %v\n%s", err, b)
	}
}

func attrDump(r *report.Report) string {
	b, _ := json.MarshalIndent(struct {
		Target   *report.Target
		Summary  *report.Summary
		Hotpaths []report.Hotpath
		Errors   []string
	}{r.Target, r.Summary, r.Hotpaths, r.Errors}, "", "  ")
	return string(b)
}

// attrLine returns the line of the first line of the workload file holding
// marker, so tests name lines without hard-coding numbers.
func attrLine(t testing.TB, marker string) int {
	t.Helper()
	src, err := os.ReadFile("attribute_workload_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	t.Fatalf("marker %q not in attribute_workload_test.go", marker)
	return 0
}

// attrPkg is the prefix of this package's function names.
var attrPkg = strings.TrimSuffix(runtime.FuncForPC(reflect.ValueOf(attrFib).Pointer()).Name(), "attrFib")

func TestAttributeDemos(t *testing.T) {
	if testing.Short() {
		t.Skip("runs workloads for about 2s")
	}
	dir := t.TempDir()
	for i := 0; i < 64; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d", i)), bytes.Repeat([]byte{'x'}, 64<<10), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		work      func() error
		class     string // program class
		top       string // top hot path function, without the package
		topClass  string
		topLine   string // marker on the expected line; "" to skip
		recursive bool   // top hot path has max_depth > 1
		oneCore   bool   // a serial program: cores_used stays at or below 1
		extra     func(t *testing.T, r *report.Report)
	}{
		{
			name:  "fib",
			work:  func() error { attrFib(36); return nil },
			class: report.ClassCPU, top: "attrFib", topClass: report.ClassCPU, recursive: true, oneCore: true,
		},
		{
			name:  "mandelbrot",
			work:  func() error { attrMandelbrot(600, 400, 1000); return nil },
			class: report.ClassCPU, top: "attrMandelbrot", topClass: report.ClassCPU, oneCore: true,
		},
		{
			name: "http",
			work: func() error { return attrHTTPDemo(8, 15*time.Millisecond) },
			// http.Get waits in select; only the waker rule makes it io.
			class: report.ClassIO, top: "attrFetchAll", topClass: report.ClassIO, topLine: "resp, err := http.Get(url)",
			extra: func(t *testing.T, r *report.Report) {
				if b := r.Hotpaths[0].Breakdown; b[report.StateNetwork] < b[report.StateSelect] {
					t.Errorf("attrFetchAll: %v, want the select wait inherited as network", b)
				}
			},
		},
		{
			name:  "files",
			work:  func() error { _, err := attrReadTree(dir, 24); return err },
			class: report.ClassIO, top: "attrReadTree.func1", topClass: report.ClassIO, topLine: "n, err := f.Read(buf)",
		},
		{
			name:  "lock",
			work:  func() error { attrLockDemo(4, 300); return nil },
			class: report.ClassSync, top: "attrLockWorker", topClass: report.ClassSync, topLine: "mu.Lock() // the hot line",
			extra: func(t *testing.T, r *report.Report) {
				// wg.Wait is a join (channel), not lock contention.
				for _, hp := range r.Hotpaths {
					if hp.Function == attrPkg+"attrLockDemo" && hp.Breakdown[report.StateLock] > hp.Breakdown[report.StateChannel] {
						t.Errorf("attrLockDemo (wg.Wait): %v, want channel time, not lock", hp.Breakdown)
					}
				}
			},
		},
		{
			name:  "sleep",
			work:  func() error { attrSleeper(15, 10*time.Millisecond); return nil },
			class: report.ClassSleep, top: "attrSleeper", topClass: report.ClassSleep, topLine: "time.Sleep(d) // the hot line", oneCore: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td, cd := attrRecord(t, tt.work)
			r := attrAnalyze(t, td, cd)
			t.Logf("%s", attrDump(r))
			attrCheckShares(t, r)
			if attrRace {
				return
			}
			if got := r.Summary.Class; got != tt.class {
				t.Errorf("program class = %q, want %q", got, tt.class)
			}
			if len(r.Hotpaths) == 0 {
				t.Fatalf("no hot paths")
			}
			top := r.Hotpaths[0]
			if top.Function != attrPkg+tt.top {
				t.Errorf("top hot path = %s, want %s", top.Function, attrPkg+tt.top)
			}
			if top.Class != tt.topClass {
				t.Errorf("top hot path class = %q, want %q", top.Class, tt.topClass)
			}
			if top.File != "analyze/attribute_workload_test.go" {
				t.Errorf("top hot path file = %q, want module-relative analyze/attribute_workload_test.go", top.File)
			}
			if tt.topLine != "" {
				if want := attrLine(t, tt.topLine); top.Line != want {
					t.Errorf("top hot path line = %d, want %d (%s)", top.Line, want, tt.topLine)
				}
			}
			if tt.recursive && top.MaxDepth < 10 {
				t.Errorf("max_depth = %d, want a deep recursion (>= 10)", top.MaxDepth)
			}
			if !tt.recursive && top.MaxDepth != 0 {
				t.Errorf("max_depth = %d, want 0 (not recursive)", top.MaxDepth)
			}
			if tt.oneCore && r.Summary.CoresUsed > 1.0001 {
				t.Errorf("cores_used = %g for one goroutine, want <= 1", r.Summary.CoresUsed)
			}
			if r.Target.GOMAXPROCS != runtime.GOMAXPROCS(0) {
				t.Errorf("gomaxprocs = %d, want %d", r.Target.GOMAXPROCS, runtime.GOMAXPROCS(0))
			}
			if r.Target.WallSeconds <= 0 {
				t.Errorf("wall_seconds = %g, want > 0", r.Target.WallSeconds)
			}
			if tt.extra != nil {
				tt.extra(t, r)
			}
		})
	}
}

// attrCheckShares checks the invariants of any report: shares sorted and in
// [0,1], breakdown sums to 1, hot path breakdown sums to its share.
func attrCheckShares(t *testing.T, r *report.Report) {
	t.Helper()
	sum := 0.0
	for _, v := range r.Summary.Breakdown {
		sum += v
	}
	if r.Summary.Class != report.ClassIdle && (sum < 0.999 || sum > 1.001) {
		t.Errorf("summary breakdown sums to %g, want 1", sum)
	}
	for i, hp := range r.Hotpaths {
		if i > 0 && hp.Share > r.Hotpaths[i-1].Share {
			t.Errorf("hot paths not sorted by share at %d", i)
		}
		s := 0.0
		for _, v := range hp.Breakdown {
			s += v
		}
		if d := s - hp.Share; d > 1e-9 || d < -1e-9 {
			t.Errorf("hot path %s: breakdown sums to %g, share is %g", hp.Function, s, hp.Share)
		}
		if len(hp.Stack) == 0 || hp.Stack[len(hp.Stack)-1] != hp.Function {
			t.Errorf("hot path %s: stack %v does not end at the function", hp.Function, hp.Stack)
		}
	}
}

func TestAttributeMixed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs workloads")
	}
	td, cd := attrRecord(t, func() error { return attrMixedDemo(36, 6, 10*time.Millisecond) })
	r := attrAnalyze(t, td, cd)
	t.Logf("%s", attrDump(r))
	attrCheckShares(t, r)
	if attrRace {
		return
	}
	classes := map[string]string{}
	for _, hp := range r.Hotpaths {
		classes[strings.TrimPrefix(hp.Function, attrPkg)] = hp.Class
	}
	if classes["attrFib"] != report.ClassCPU {
		t.Errorf("attrFib class = %q, want cpu", classes["attrFib"])
	}
	if classes["attrFetchAll"] != report.ClassIO {
		t.Errorf("attrFetchAll class = %q, want io", classes["attrFetchAll"])
	}
	// Both hot paths lead, whichever is larger on this machine (the
	// handler's sleep, server side, can come third).
	var top3 []string
	for _, hp := range r.Hotpaths[:min(3, len(r.Hotpaths))] {
		top3 = append(top3, strings.TrimPrefix(hp.Function, attrPkg))
	}
	if !slices.Contains(top3, "attrFib") || !slices.Contains(top3, "attrFetchAll") {
		t.Errorf("top hot paths = %v, want attrFib and attrFetchAll among them", top3)
	}
	g := ClassGroups(r.Summary.Breakdown)
	if r.Summary.Class != report.ClassCPU && r.Summary.Class != report.ClassIO {
		t.Errorf("program class = %q, want cpu or io", r.Summary.Class)
	}
	for c, v := range g {
		if v > g[r.Summary.Class] {
			t.Errorf("program class %q but group %q is larger (%v)", r.Summary.Class, c, g)
		}
	}
}

func TestMatchPackage(t *testing.T) {
	for _, tc := range []struct {
		pats []string
		pkg  string
		want bool
	}{
		{[]string{"github.com/yuin/goldmark/..."}, "github.com/yuin/goldmark", true},
		{[]string{"github.com/yuin/goldmark/..."}, "github.com/yuin/goldmark/parser", true},
		{[]string{"github.com/yuin/goldmark/..."}, "github.com/yuin/goldmarkx", false},
		{[]string{"example.com/a"}, "example.com/a/b", false},
		{nil, "main", false},
	} {
		if got := MatchPackage(tc.pats, tc.pkg); got != tc.want {
			t.Errorf("MatchPackage(%q, %q) = %v", tc.pats, tc.pkg, got)
		}
	}
}
