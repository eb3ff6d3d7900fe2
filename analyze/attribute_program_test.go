package analyze

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

// attrRunProgram builds and runs testdata/attr/<name>, a main package that
// profiles itself through a stand-in for the advisor hook (one file for all
// programs, added by a build overlay), and attributes
// it with the default own-code rule (package main) and hook prefix. It
// returns the report and the program's directory.
func attrRunProgram(t *testing.T, name string) (*report.Report, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "attr", name))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, name)
	overlay := filepath.Join(tmp, "overlay.json")
	hook, err := filepath.Abs(filepath.Join("testdata", "attr", "standin_hook.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "0000_advisor_hook.go"): hook}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(overlay, ov, 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-overlay", overlay, "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tracePath, cpuPath := filepath.Join(tmp, "trace.out"), filepath.Join(tmp, "cpu.pprof")
	if out, err := exec.Command(bin, tracePath, cpuPath).CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	cf, err := os.Open(cpuPath)
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	p, err := ParseCPUProfile(cf)
	if err != nil {
		t.Fatal(err)
	}
	tf, err := os.Open(tracePath)
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	r, err := Attribute(AttributeOptions{CPU: p, Trace: tf, ModuleDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return r, dir
}

// TestAttributeMainProgram: two hot paths of different classes in a real
// main package, and nothing of the hook.
func TestAttributeMainProgram(t *testing.T) {
	r, dir := attrRunProgram(t, "mixed")
	attrCheckSchema(t, r)
	t.Logf("%s", attrDump(r))
	attrCheckShares(t, r)
	byFn := map[string]report.Hotpath{}
	for _, hp := range r.Hotpaths {
		if strings.Contains(hp.Function, "advisorHook") {
			t.Errorf("hook function %s reported as a hot path", hp.Function)
		}
		if !strings.HasPrefix(hp.Function, "main.") {
			t.Errorf("hot path %s is not the program's own code", hp.Function)
		}
		if hp.File != "main.go" {
			t.Errorf("hot path %s in file %q, want main.go (module-relative)", hp.Function, hp.File)
		}
		byFn[hp.Function] = hp
	}
	if attrRace {
		return
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	lineOf := func(marker string) int {
		for i, l := range strings.Split(string(src), "\n") {
			if strings.Contains(l, marker) {
				return i + 1
			}
		}
		t.Fatalf("no %q in main.go", marker)
		return 0
	}
	// fib and the fetches run side by side: the longer one is on the
	// critical path, the other is background (or on the path only for the
	// part main waits on it).
	fib, onFib := byFn["main.fib"]
	fetch, onFetch := byFn["main.fetchAll"]
	if !onFib && !onFetch {
		t.Errorf("neither main.fib nor main.fetchAll is a hot path")
	}
	if onFib && (fib.Class != report.ClassCPU || fib.MaxDepth < 10) {
		t.Errorf("main.fib: %+v, want class cpu and deep recursion", fib)
	}
	if onFetch && (fetch.Class != report.ClassIO || fetch.Line != lineOf("the io hot path")) {
		t.Errorf("main.fetchAll: %+v, want class io at line %d", fetch, lineOf("the io hot path"))
	}
	if !onFib && !slices.ContainsFunc(r.Background, func(b report.Background) bool { return strings.HasPrefix(b.Function, "main.main.func") }) {
		t.Errorf("main.fib is not on the path, so its goroutine main.main.funcN must be background: %+v", r.Background)
	}
	if r.Summary.Accounting != report.AccountingCriticalPath {
		t.Errorf("accounting = %q, want %q", r.Summary.Accounting, report.AccountingCriticalPath)
	}
	if r.Target.GOMAXPROCS < 1 || r.Target.WallSeconds <= 0 || r.Target.CPUSeconds <= 0 {
		t.Errorf("target %+v: want gomaxprocs, wall and cpu", r.Target)
	}
}

// TestAttributeCgo: time in C shows as a system call in the trace but is
// computation.
func TestAttributeCgo(t *testing.T) {
	if out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("cgo is not enabled")
	}
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no C compiler")
	}
	r, _ := attrRunProgram(t, "cgo")
	attrCheckSchema(t, r)
	t.Logf("%s", attrDump(r))
	attrCheckShares(t, r)
	if attrRace {
		return
	}
	if r.Summary.Class != report.ClassCPU {
		t.Errorf("class %q, want cpu", r.Summary.Class)
	}
	if len(r.Hotpaths) == 0 || r.Hotpaths[0].Function != "main.burn" || r.Hotpaths[0].Class != report.ClassCPU {
		t.Errorf("want top hot path main.burn, class cpu")
	}
	// CPU seconds are the CPU profile's (on a loaded machine, less than
	// the wall time); the path's time in C is on-CPU time.
	if b := r.Summary.Breakdown; b[report.StateCPU] < 0.5 {
		t.Errorf("breakdown %v: time in C is on-CPU time", b)
	}
}
