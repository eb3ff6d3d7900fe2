package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"

	advprofile "github.com/advisor-dev/advisor/profile"
	"github.com/advisor-dev/advisor/rules/lint"
)

// treeHash hashes every file under dir (names and contents).
func treeHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		h.Write([]byte(path + "\x00"))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// lineOf returns the 1-based line of file that contains marker.
func lineOf(t *testing.T, file, marker string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	t.Fatalf("%q not in %s", marker, file)
	return 0
}

// demoVerifyConfig is the configuration verifyAndFix would build for a demo.
func demoVerifyConfig(t *testing.T, demo string, args ...string) verifyConfig {
	t.Helper()
	mod, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return verifyConfig{
		moduleDir: mod, pkg: "../../testdata/" + demo, pkgDir: filepath.Join(mod, "testdata", demo),
		ownPackages: []string{"github.com/advisor-dev/advisor/testdata/" + demo},
		args:        args, budget: 2 * time.Minute, runs: defaultVerifyRuns,
		race:     advprofile.RaceSupported(context.Background()),
		progress: func(msg string) { t.Log(msg) }, diff: &bytes.Buffer{},
	}
}

func verifyErrors(rep *report.Report) []string {
	var out []string
	for _, e := range rep.Errors {
		if strings.HasPrefix(e, "verify: ") {
			out = append(out, e)
		}
	}
	return out
}

// TestVerifyDemos verifies the rewrites of the three demos whose fixes are
// known wins, and checks that the demos' files are untouched.
func TestVerifyDemos(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, tests and benchmarks the demos")
	}
	for _, tc := range []struct {
		demo, kind, fn, marker, finding string
		args                            []string
	}{
		{"fib", "cache", "main.fib", "return fib(n-1) + fib(n-2)", "overlaprecursion", []string{"-n", "32", "-rounds", "2"}},
		{"fetch", "goroutines", "main.main", "size, err := fetch(", "", []string{"-n", "16", "-delay", "20ms"}},
		{"mandelbrot", "workers", "main.escape", "zr, zi = zr*zr-zi*zi+cr", "", []string{"-size", "1000", "-max", "800"}},
	} {
		t.Run(tc.demo, func(t *testing.T) {
			cfg := demoVerifyConfig(t, tc.demo, tc.args...)
			file := "testdata/" + tc.demo + "/main.go"
			line := lineOf(t, filepath.Join(cfg.moduleDir, file), tc.marker)
			rec := report.Recommendation{Kind: tc.kind, Function: tc.fn, File: file, Line: line, Text: "x"}
			if tc.finding != "" {
				rec.Findings = []string{tc.finding + "@" + file + ":" + strconv.Itoa(line)}
			}
			rep := &report.Report{Recommendations: []report.Recommendation{rec}}
			before := treeHash(t, cfg.pkgDir)
			runVerify(context.Background(), rep, cfg, nil)
			if after := treeHash(t, cfg.pkgDir); after != before {
				t.Errorf("--verify changed files under %s", cfg.pkgDir)
			}
			v := rep.Recommendations[0].Verified
			if v == nil {
				t.Fatalf("not verified; errors: %v", rep.Errors)
			}
			t.Logf("%s: %s", tc.demo, verifiedText(v))
			if !benchstat.Win(v) && tc.kind == report.KindWorkers && runtime.GOMAXPROCS(0) > 1 {
				// A worker pool can only be faster when a second core is
				// free; on an oversubscribed machine "no significant
				// change" is the right verdict.
				if ps := parallelSpeedup(); ps < 1.6 {
					t.Skipf("two goroutines run only %.2f× faster than one here (no spare core); the worker pool cannot win: %s", ps, verifiedText(v))
				}
			}
			if v.AllocsBefore == nil || v.AllocsAfter == nil {
				t.Errorf("allocations not counted: %+v", v)
			} else {
				t.Logf("allocs %.0f → %.0f", *v.AllocsBefore, *v.AllocsAfter)
			}
			if !benchstat.Win(v) || v.CILow <= 1 || v.Tests != "pass" || v.Runs < defaultVerifyRuns {
				t.Errorf("want a verified win with passing tests and CI above 1, got %+v (%s); errors %v", v, verifiedText(v), rep.Errors)
			}
		})
	}
}

// TestVerifyRefusals checks the rewrites that must not be recommended: the
// original against itself (A/A), a useless hoist, a rewrite that breaks the
// demo's test, and one that does not compile.
func TestVerifyRefusals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, tests and benchmarks a demo")
	}
	cfg := demoVerifyConfig(t, "fib", "-n", "27", "-rounds", "2")
	file := filepath.Join(cfg.moduleDir, "testdata", "fib", "main.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) []byte {
		t.Helper()
		if !bytes.Contains(src, []byte(old)) {
			t.Fatalf("%q not in fib/main.go", old)
		}
		return bytes.Replace(src, []byte(old), []byte(new), 1)
	}
	cands := []candidate{
		{rec: 0, what: "A/A", changes: []lint.Change{{File: file, Old: src, New: src}}},
		// Hoisting the flag dereference out of the loop condition: correct,
		// and too cheap to matter.
		{rec: 1, what: "useless hoist", changes: []lint.Change{{File: file, Old: src,
			New: edit("for i := 0; i < *rounds; i++ {", "r := *rounds\n\tfor i := 0; i < r; i++ {")}}},
		{rec: 2, what: "breaking", changes: []lint.Change{{File: file, Old: src,
			New: edit("return n\n", "return n + 1\n")}}},
		{rec: 3, what: "not compiling", changes: []lint.Change{{File: file, Old: src,
			New: edit("return n\n", "return m\n")}}},
	}
	rep := &report.Report{}
	for range cands {
		rep.Recommendations = append(rep.Recommendations, report.Recommendation{Kind: report.KindHoist, Text: "x"})
	}
	before := treeHash(t, cfg.pkgDir)
	runVerify(context.Background(), rep, cfg, cands)
	if treeHash(t, cfg.pkgDir) != before {
		t.Errorf("--verify changed files under %s", cfg.pkgDir)
	}
	for i, name := range []string{"A/A", "useless hoist"} {
		v := rep.Recommendations[i].Verified
		if v == nil {
			t.Fatalf("%s: not measured; errors %v", name, rep.Errors)
		}
		t.Logf("%s: %+v", name, *v)
		if benchstat.Win(v) || !strings.HasPrefix(verifiedText(v), "no significant change") {
			t.Errorf("%s reported as %q", name, verifiedText(v))
		}
	}
	if v := rep.Recommendations[2].Verified; v == nil || v.Tests != "fail" || benchstat.Win(v) || verifiedText(v) != "tests fail with this rewrite — not applied" {
		t.Errorf("breaking rewrite: %+v", v)
	}
	errs := strings.Join(verifyErrors(rep), "\n")
	if !strings.Contains(errs, "breaking: tests fail") || !strings.Contains(errs, "TestFib") {
		t.Errorf("the test failure is not in the report's errors:\n%s", errs)
	}
	if rep.Recommendations[3].Verified != nil || !strings.Contains(errs, "not compiling: the rewritten package does not build") {
		t.Errorf("non-compiling rewrite: verified %+v, errors:\n%s", rep.Recommendations[3].Verified, errs)
	}
	var doc bytes.Buffer
	if err := writeJSON(&doc, rep); err != nil {
		t.Fatal(err)
	}
	if err := docs.ValidateReport(doc.Bytes()); err != nil {
		t.Errorf("report with verdicts does not validate: %v", err)
	}
}

// fibModule copies the fib demo into a module of its own.
func fibModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"main.go", "main_test.go"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fib", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/fib\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestFix verifies the memoization of fib in a copy of the demo and writes
// it: gofmt'd, atomically, with a diff; --dry-run writes nothing.
func TestFix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, tests and benchmarks a demo")
	}
	for _, dry := range []bool{true, false} {
		dir := fibModule(t)
		file := filepath.Join(dir, "main.go")
		orig, _ := os.ReadFile(file)
		line := lineOf(t, file, "return fib(n-1) + fib(n-2)")
		var diff bytes.Buffer
		cfg := verifyConfig{
			moduleDir: dir, dir: dir, pkg: ".", pkgDir: dir, ownPackages: []string{"example.com/fib"},
			args: []string{"-n", "30", "-rounds", "2"}, budget: 2 * time.Minute, runs: defaultVerifyRuns,
			fix: true, dryRun: dry, progress: func(msg string) { t.Log(msg) }, diff: &diff,
		}
		rep := &report.Report{Recommendations: []report.Recommendation{{
			Kind: report.KindCache, Function: "main.fib", File: "main.go", Line: line, Text: "x",
			Findings: []string{"overlaprecursion@main.go:" + strconv.Itoa(line)},
		}}}
		runVerify(context.Background(), rep, cfg, nil)
		if v := rep.Recommendations[0].Verified; v == nil || !benchstat.Win(v) {
			t.Fatalf("memoized fib not verified: %+v; errors %v", v, rep.Errors)
		}
		if !strings.Contains(diff.String(), "--- a/") || !strings.Contains(diff.String(), "+\tmemo := make(map[int]int)") {
			t.Errorf("diff:\n%s", diff.String())
		}
		now, _ := os.ReadFile(file)
		if dry {
			if !bytes.Equal(now, orig) {
				t.Error("--dry-run changed main.go")
			}
			continue
		}
		if bytes.Equal(now, orig) {
			t.Fatal("--fix did not change main.go")
		}
		if f, err := format.Source(now); err != nil || !bytes.Equal(f, now) {
			t.Errorf("fixed file is not gofmt'd (%v)", err)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("temporary file %s left behind", e.Name())
			}
		}
		out, err := exec.Command("go", "run", "-C", dir, ".", "-n", "30", "-rounds", "2").CombinedOutput()
		if err != nil || string(out) != "fib(30) = 832040\n" {
			t.Errorf("fixed program: %v: %s", err, out)
		}
	}
}

// TestFixRefusesChangedFile checks that a file edited after the analysis
// is left alone.
func TestFixRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	analyzed := []byte("package a\n")
	if err := os.WriteFile(file, []byte("package a // edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var diff bytes.Buffer
	cfg := verifyConfig{progress: func(string) {}, diff: &diff}
	err := writeFixes(cfg, []lint.Change{{File: file, Old: analyzed, New: []byte("package a\n\nvar X = 1\n")}})
	if err == nil || !strings.Contains(err.Error(), "changed since it was analyzed") {
		t.Errorf("writeFixes over an edited file: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "package a // edited\n" {
		t.Errorf("edited file was overwritten: %q", b)
	}
}

func TestVerifyFlags(t *testing.T) {
	var f profileFlags
	fs := newProfileFlagSet(&f)
	if err := fs.Parse([]string{"--fix", "--dry-run", "--verify-budget", "10s", "--verify-runs", "5", "./x"}); err != nil {
		t.Fatal(err)
	}
	if !f.fix || !f.dryRun || f.verify || f.verifyBudget != 10*time.Second || f.verifyRuns != 5 {
		t.Errorf("parsed %+v", f)
	}
	var g profileFlags
	if err := newProfileFlagSet(&g).Parse(nil); err != nil || g.verifyBudget != defaultVerifyBudget || g.verifyRuns != defaultVerifyRuns {
		t.Errorf("defaults: budget %v runs %d", g.verifyBudget, g.verifyRuns)
	}
	var usage bytes.Buffer
	profileUsage(&usage, fs)
	if !strings.Contains(usage.String(), "Verifying rewrites") || !strings.Contains(usage.String(), "--verify-budget") {
		t.Errorf("usage lacks the verification group:\n%s", usage.String())
	}
}

func TestVerifyImportedProfile(t *testing.T) {
	rep := &report.Report{}
	f := profileFlags{cpuFile: "cpu.pprof", verify: true}
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out}
	verifyAndFix(context.Background(), e, rep, &advprofile.Result{}, nil, "", nil, &f, func(string) {})
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "only a package run by advisor") {
		t.Errorf("errors %v", rep.Errors)
	}
	rep = &report.Report{}
	f = profileFlags{verify: true, verifyRuns: 1, verifyBudget: time.Minute}
	verifyAndFix(context.Background(), e, rep, &advprofile.Result{}, nil, "./x", nil, &f, func(string) {})
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "--verify-runs must be at least 6") {
		t.Errorf("errors %v", rep.Errors)
	}
}

// parallelSpeedup measures how much faster two goroutines finish two units
// of CPU work than one goroutine does (best of three): about 2 on a machine
// with an idle core, about 1 when the CPUs are all taken. It returns the
// median of five measurements.
func parallelSpeedup() float64 {
	spin := func(n int) int {
		x := 0
		for i := range n {
			x += i * i % 7
		}
		return x
	}
	const unit = 20_000_000
	var ratios []float64
	for range 5 {
		start := time.Now()
		sink := spin(2 * unit)
		serial := time.Since(start)
		start = time.Now()
		done := make(chan int)
		for range 2 {
			go func() { done <- spin(unit) }()
		}
		sink += <-done + <-done
		parallel := time.Since(start)
		if sink == 42 {
			panic("unreachable") // keeps the work from being optimized away
		}
		ratios = append(ratios, serial.Seconds()/parallel.Seconds())
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2]
}

// TestVerifyPGO builds a demo with a CPU profile as -pgo and records the
// A/B measurement on the pgo recommendation, whatever its verdict.
func TestVerifyPGO(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and benchmarks a demo")
	}
	cfg := demoVerifyConfig(t, "fib", "-n", "27", "-rounds", "2")
	cfg.cpuProfile = filepath.Join(t.TempDir(), "cpu.pprof")
	if out, err := exec.Command("go", "test", "-count=1", "-run", "TestFib", "-cpuprofile", cfg.cpuProfile, cfg.pkg).CombinedOutput(); err != nil {
		t.Fatalf("collecting a CPU profile: %v\n%s", err, out)
	}
	rep := &report.Report{
		Summary:         &report.Summary{Class: report.ClassCPU},
		Recommendations: []report.Recommendation{{Kind: report.KindPGO, Text: "x"}},
	}
	runVerify(context.Background(), rep, cfg, nil)
	v := rep.Recommendations[0].Verified
	if v == nil || v.Tests != "none" || v.Runs < defaultVerifyRuns || v.Speedup <= 0 {
		t.Fatalf("pgo not measured: %+v; errors %v", v, rep.Errors)
	}
	t.Logf("pgo: %s", verifiedText(v))
	if len(verifyErrors(rep)) > 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
}

// TestCandidatesMemoizeOnlyPure checks that the rules' memoization fix is
// offered for recursive functions without effects and withheld from one
// that prints through a helper.
func TestCandidatesMemoizeOnlyPure(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and lints a module")
	}
	dir := t.TempDir()
	src := `package main

import "fmt"

func pure(n int) int {
	if n < 2 {
		return n
	}
	return pure(n-1) + pure(n-2)
}

func trace(n int) { fmt.Println("at", n) }

// noisy prints through a helper: memoizing it would print less.
func noisy(n int) int {
	trace(n)
	if n < 2 {
		return n
	}
	return noisy(n-1) + noisy(n-2)
}

var base = 1

// reads only reads package state, which cannot change during one call.
func reads(n int) int {
	if n < 2 {
		return base
	}
	return reads(n-1) + reads(n-2)
}

func main() { fmt.Println(pure(20), noisy(3), reads(4)) }
`
	for name, content := range map[string]string{"go.mod": "module example.com/m\n\ngo 1.26\n", "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "main.go")
	rec := func(fn, marker string) report.Recommendation {
		line := lineOf(t, file, marker)
		return report.Recommendation{Kind: report.KindCache, Function: "main." + fn, File: "main.go", Line: line, Text: "x",
			Findings: []string{"overlaprecursion@main.go:" + strconv.Itoa(line)}}
	}
	rep := &report.Report{Recommendations: []report.Recommendation{
		rec("pure", "return pure(n-1)"), rec("noisy", "return noisy(n-1)"), rec("reads", "return reads(n-1)"),
	}}
	cfg := verifyConfig{moduleDir: dir, dir: dir, pkg: ".", pkgDir: dir, ownPackages: []string{"example.com/m"}}
	var notes []string
	cands := collectCandidates(context.Background(), rep, cfg, func(format string, args ...any) {
		notes = append(notes, fmt.Sprintf(format, args...))
	})
	if len(cands) != 2 || cands[0].rec != 0 || cands[1].rec != 2 || !bytes.Contains(cands[0].changes[0].New, []byte("memo")) {
		t.Fatalf("want memoization candidates for pure and reads, got %d: %+v", len(cands), cands)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "main.noisy is not provably free of effects") {
		t.Errorf("notes %q", notes)
	}
}

// TestVerifyBuilder verifies the builder template on a program that builds
// a long string with += in a loop.
func TestVerifyBuilder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and benchmarks a module")
	}
	dir := t.TempDir()
	src := `package main

import (
	"flag"
	"fmt"
	"strconv"
)

func digits(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		s += strconv.Itoa(i % 10)
	}
	return s
}

func main() {
	n := flag.Int("n", 1000, "digits")
	flag.Parse()
	fmt.Println(len(digits(*n)))
}
`
	// A test that fails with or without the rewrite must not be held
	// against it.
	broken := "package main\n\nimport \"testing\"\n\nfunc TestAlreadyBroken(t *testing.T) { t.Fatal(\"broken before any rewrite\") }\n"
	for name, content := range map[string]string{"go.mod": "module example.com/b\n\ngo 1.26\n", "main.go": src, "main_test.go": broken} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := lineOf(t, filepath.Join(dir, "main.go"), "s += strconv.Itoa")
	rep := &report.Report{Recommendations: []report.Recommendation{{
		Kind: report.KindBuilder, Function: "main.digits", File: "main.go", Line: line, Text: "x",
		Findings: []string{"stringconcat@main.go:" + strconv.Itoa(line)},
	}}}
	cfg := verifyConfig{
		moduleDir: dir, dir: dir, pkg: ".", pkgDir: dir, ownPackages: []string{"example.com/b"},
		args: []string{"-n", "30000"}, budget: 2 * time.Minute, runs: defaultVerifyRuns,
		progress: func(msg string) { t.Log(msg) }, diff: &bytes.Buffer{},
	}
	runVerify(context.Background(), rep, cfg, nil)
	v := rep.Recommendations[0].Verified
	if v == nil || !benchstat.Win(v) || v.Tests != "none" {
		t.Fatalf("builder rewrite: %+v; errors %v", v, rep.Errors)
	}
	t.Logf("builder: %s", verifiedText(v))
	if errs := strings.Join(verifyErrors(rep), "\n"); !strings.Contains(errs, "tests fail without the rewrite too") {
		t.Errorf("the broken tests are not reported: %s", errs)
	}
	if v.AllocsBefore == nil || v.AllocsAfter == nil || *v.AllocsAfter >= *v.AllocsBefore {
		t.Errorf("a builder should allocate less: %+v", v)
	}
}

func TestWritePGO(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(t.TempDir(), "cpu.pprof")
	if err := os.WriteFile(prof, []byte("profile bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cfg := verifyConfig{pkgDir: dir, cpuProfile: prof, diff: &out, dryRun: true}
	dst := filepath.Join(dir, "default.pgo")
	if err := writePGO(cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dst); err == nil || !strings.Contains(out.String(), "would copy") {
		t.Errorf("--dry-run wrote default.pgo or said nothing: %q", out.String())
	}
	cfg.dryRun = false
	if err := writePGO(cfg); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "profile bytes" {
		t.Errorf("default.pgo = %q", b)
	}
	if err := os.WriteFile(dst, []byte("the user's own"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writePGO(cfg); err == nil {
		t.Error("an existing default.pgo was not refused")
	}
	if b, _ := os.ReadFile(dst); string(b) != "the user's own" {
		t.Errorf("existing default.pgo replaced: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestVerifyBench verifies a rewrite of a library through its benchmarks
// (--bench): ns/op and allocs/op come from the benchmark results.
func TestVerifyBench(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and benchmarks a module")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/lib\n\ngo 1.26\n",
		"lib.go": `// Package lib builds strings slowly.
package lib

import "strconv"

// Digits returns the last digits of 0..n-1.
func Digits(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		s += strconv.Itoa(i % 10)
	}
	return s
}
`,
		"lib_test.go": `package lib

import "testing"

func TestDigits(t *testing.T) {
	if got := Digits(12); got != "012345678901" {
		t.Errorf("Digits(12) = %q", got)
	}
}

func BenchmarkDigits(b *testing.B) {
	for b.Loop() {
		Digits(2000)
	}
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := lineOf(t, filepath.Join(dir, "lib.go"), "s += strconv.Itoa")
	rep := &report.Report{Recommendations: []report.Recommendation{{
		Kind: report.KindBuilder, Function: "example.com/lib.Digits", File: "lib.go", Line: line, Text: "x",
		Findings: []string{"stringconcat@lib.go:" + strconv.Itoa(line)},
	}}}
	cfg := verifyConfig{
		moduleDir: dir, dir: dir, pkg: ".", pkgDir: dir, ownPackages: []string{"example.com/lib"},
		bench: "BenchmarkDigits", benchtime: "300x", budget: 2 * time.Minute, runs: defaultVerifyRuns,
		progress: func(msg string) { t.Log(msg) }, diff: &bytes.Buffer{},
	}
	runVerify(context.Background(), rep, cfg, nil)
	v := rep.Recommendations[0].Verified
	if v == nil || !benchstat.Win(v) || v.Tests != "pass" {
		t.Fatalf("builder rewrite through benchmarks: %+v; errors %v", v, rep.Errors)
	}
	t.Logf("bench: %s", verifiedText(v))
	if v.AllocsBefore == nil || v.AllocsAfter == nil || *v.AllocsBefore < 1000 || *v.AllocsAfter > 100 {
		t.Errorf("allocs/op should drop from about 2000 to a few: %+v", v)
	}
}

// TestVerifyCommandLine runs advisor --verify on the fetch demo end to end:
// profile, advise, verify; the JSON report carries the measurement and the
// demo's files are untouched.
func TestVerifyCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("profiles, builds and benchmarks a demo")
	}
	demo := filepath.Join("..", "..", "testdata", "fetch")
	before := treeHash(t, demo)
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	argv := []string{"--json", "--verify", "--verify-runs", "10", "--verify-budget", "2m", "--progress", "../../testdata/fetch", "--", "-n", "32", "-delay", "20ms"}
	if code := run(context.Background(), e, argv); code != exitOK {
		t.Fatalf("advisor %s: exit %d\n%s", strings.Join(argv, " "), code, stderr.String())
	}
	if treeHash(t, demo) != before {
		t.Error("advisor --verify changed the demo's files")
	}
	if err := docs.ValidateReport(stdout.Bytes()); err != nil {
		t.Fatalf("report does not validate: %v", err)
	}
	var rep report.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Recommendations) == 0 || rep.Recommendations[0].Kind != report.KindGoroutines {
		t.Fatalf("recommendations %+v", rep.Recommendations)
	}
	v := rep.Recommendations[0].Verified
	if v == nil || !benchstat.Win(v) || v.Tests != "pass" {
		t.Errorf("goroutines not verified: %+v; errors %v", v, rep.Errors)
	}
	if !strings.Contains(stderr.String(), "left)") {
		t.Errorf("no progress with the remaining budget on stderr:\n%s", stderr.String())
	}
}

// TestVerifyRuleFix verifies a rule's own suggested fix (prealloc) for the
// recommendation that cites its finding.
func TestVerifyRuleFix(t *testing.T) {
	if testing.Short() {
		t.Skip("lints, builds and benchmarks a module")
	}
	dir := t.TempDir()
	src := `package main

import (
	"flag"
	"fmt"
)

func squares(xs []int) []int {
	out := []int{}
	for _, x := range xs {
		out = append(out, x*x)
	}
	return out
}

func main() {
	n := flag.Int("n", 1000, "size")
	flag.Parse()
	xs := make([]int, *n)
	total := 0
	for range 20 {
		total += len(squares(xs))
	}
	fmt.Println(total)
}
`
	for name, content := range map[string]string{"go.mod": "module example.com/p\n\ngo 1.26\n", "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := lineOf(t, filepath.Join(dir, "main.go"), "out = append(out, x*x)")
	rep := &report.Report{Recommendations: []report.Recommendation{{
		Kind: report.KindPrealloc, Function: "main.squares", File: "main.go", Line: line, Text: "x",
		Findings: []string{"prealloc@main.go:" + strconv.Itoa(line)},
	}}}
	var diff bytes.Buffer
	cfg := verifyConfig{
		moduleDir: dir, dir: dir, pkg: ".", pkgDir: dir, ownPackages: []string{"example.com/p"},
		args: []string{"-n", "500000"}, budget: 2 * time.Minute, runs: defaultVerifyRuns,
		fix: true, dryRun: true, progress: func(msg string) { t.Log(msg) }, diff: &diff,
	}
	runVerify(context.Background(), rep, cfg, nil)
	v := rep.Recommendations[0].Verified
	if v == nil {
		t.Fatalf("prealloc fix not measured; errors %v", rep.Errors)
	}
	t.Logf("prealloc: %s", verifiedText(v))
	if !benchstat.Win(v) {
		t.Errorf("preallocating 500000 elements 20 times should be a verified win: %+v", v)
	}
	if v.AllocsBefore == nil || v.AllocsAfter == nil || *v.AllocsAfter >= *v.AllocsBefore {
		t.Errorf("preallocation should allocate less: %+v", v)
	}
	if !strings.Contains(diff.String(), "+\tout := make([]int, 0, len(xs))") {
		t.Errorf("diff:\n%s", diff.String())
	}
}
