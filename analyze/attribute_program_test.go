package analyze

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestAttributeMainProgram builds and runs a real main package that profiles
// itself through a stand-in for the advisor hook, and attributes it with the
// default own-code rule (package main) and hook prefix.
func TestAttributeMainProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "attr", "mixed"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "mixed")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
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
	attrCheckSchema(t, r)
	t.Logf("%s", attrDump(r))
	attrCheckShares(t, r)
	byFn := map[string]Hotpath{}
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
	if hp, ok := byFn["main.fib"]; !ok || hp.Class != ClassCPU || hp.MaxDepth < 10 {
		t.Errorf("main.fib: %+v, want class cpu and deep recursion", hp)
	}
	if hp, ok := byFn["main.fetchAll"]; !ok || hp.Class != ClassIO || hp.Line != lineOf("the io hot path") {
		t.Errorf("main.fetchAll: %+v, want class io at line %d", hp, lineOf("the io hot path"))
	}
	if r.Target.GOMAXPROCS < 1 || r.Target.WallSeconds <= 0 || r.Target.CPUSeconds <= 0 {
		t.Errorf("target %+v: want gomaxprocs, wall and cpu", r.Target)
	}
}
