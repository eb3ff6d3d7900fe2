package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"

	"github.com/advisor-dev/advisor/profile/abtest"
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
func demoVerifyConfig(t *testing.T, demo string, args ...string) Options {
	t.Helper()
	mod, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		ModuleDir: mod, Package: "../../../../testdata/" + demo, PackageDir: filepath.Join(mod, "testdata", demo),
		OwnPackages: []string{"github.com/advisor-dev/advisor/testdata/" + demo},
		Args:        args, Budget: 2 * time.Minute, Runs: DefaultRuns,
		Race:     abtest.RaceSupported(context.Background()),
		Progress: func(msg string) { t.Log(msg) }, Diff: &bytes.Buffer{},
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

// TestVerifyDemos verifies the rewrites of three demos and checks that
// the demos' files are untouched. It asserts only what holds on a loaded
// two-core machine: the memoized fib (hundreds of times faster) is a
// verified win; the worker pool of mandelbrot (at best 1.4× on two cores)
// and the goroutines of fetch (waiting on a local server) must build, pass
// their tests and be measured with an interval, whatever its verdict.
func TestVerifyDemos(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, tests and benchmarks the demos")
	}
	for _, tc := range []struct {
		demo, kind, fn, marker, finding string
		args                            []string
		win                             bool // must be a verified win
	}{
		{"fib", "cache", "main.fib", "return fib(n-1) + fib(n-2)", "overlaprecursion", []string{"-n", "32", "-rounds", "2"}, true},
		{"fetch", "goroutines", "main.main", "size, err := fetch(", "", []string{"-n", "16", "-delay", "20ms"}, false},
		{"mandelbrot", "workers", "main.escape", "zr, zi = zr*zr-zi*zi+cr", "", []string{"-size", "600", "-max", "400"}, false},
	} {
		t.Run(tc.demo, func(t *testing.T) {
			// Only fib's 400x must be a win, which holds however loaded the
			// machine is; the others need only build, pass and be measured.
			t.Parallel()
			cfg := demoVerifyConfig(t, tc.demo, tc.args...)
			file := "testdata/" + tc.demo + "/main.go"
			line := lineOf(t, filepath.Join(cfg.ModuleDir, file), tc.marker)
			rec := report.Recommendation{Kind: tc.kind, Function: tc.fn, File: file, Line: line, Text: "x"}
			if tc.finding != "" {
				rec.Findings = []string{tc.finding + "@" + file + ":" + strconv.Itoa(line)}
			}
			rep := &report.Report{Recommendations: []report.Recommendation{rec}}
			before := treeHash(t, cfg.PackageDir)
			if _, err := Run(context.Background(), rep, cfg); err != nil {
				t.Fatal(err)
			}
			if after := treeHash(t, cfg.PackageDir); after != before {
				t.Errorf("--verify changed files under %s", cfg.PackageDir)
			}
			v := rep.Recommendations[0].Verified
			if v == nil {
				t.Fatalf("not measured (the rewrite did not build, or failed); errors: %v", rep.Errors)
			}
			t.Logf("%s: %s", tc.demo, describe(v))
			if v.Tests != "pass" {
				t.Errorf("tests did not run and pass on the rewrite: %+v; errors %v", v, rep.Errors)
			}
			if v.Runs < benchstat.VerifyMinRuns || v.Speedup <= 0 || v.CILow <= 0 || v.CIHigh < v.CILow || v.CILow > v.Speedup || v.CIHigh < v.Speedup {
				t.Errorf("no interval around the speedup: %+v", v)
			}
			if v.AllocsBefore == nil || v.AllocsAfter == nil {
				// Allocations are counted after the A/B rounds; on a loaded
				// machine an inconclusive rewrite can use the budget first.
				if tc.win {
					t.Errorf("allocations not counted: %+v", v)
				}
			} else {
				t.Logf("allocs %.0f → %.0f", *v.AllocsBefore, *v.AllocsAfter)
			}
			if tc.win && (!benchstat.Win(v) || v.CILow <= 1 || v.Runs < DefaultRuns) {
				t.Errorf("want a verified win with CI above 1, got %s; errors %v", describe(v), rep.Errors)
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
	file := filepath.Join(cfg.ModuleDir, "testdata", "fib", "main.go")
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
	before := treeHash(t, cfg.PackageDir)
	run(context.Background(), rep, cfg, cands, realTools)
	if treeHash(t, cfg.PackageDir) != before {
		t.Errorf("--verify changed files under %s", cfg.PackageDir)
	}
	for i, name := range []string{"A/A", "useless hoist"} {
		v := rep.Recommendations[i].Verified
		if v == nil {
			t.Fatalf("%s: not measured; errors %v", name, rep.Errors)
		}
		t.Logf("%s: %+v", name, *v)
		if benchstat.Win(v) || v.P < 0.05 && (v.CILow > 1 || v.CIHigh < 1) {
			t.Errorf("%s reported as a significant change: %s", name, describe(v))
		}
	}
	if v := rep.Recommendations[2].Verified; v == nil || v.Tests != "fail" || benchstat.Win(v) || v.Runs < 2 {
		t.Errorf("breaking rewrite: %+v", v)
	}
	errs := strings.Join(verifyErrors(rep), "\n")
	if !strings.Contains(errs, "breaking: tests fail") || !strings.Contains(errs, "TestFib") {
		t.Errorf("the test failure is not in the report's errors:\n%s", errs)
	}
	if rep.Recommendations[3].Verified != nil || !strings.Contains(errs, "not compiling: the rewritten package does not build") {
		t.Errorf("non-compiling rewrite: verified %+v, errors:\n%s", rep.Recommendations[3].Verified, errs)
	}
	rep.Normalize() // as the JSON renderer does
	doc, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := docs.ValidateReport(doc); err != nil {
		t.Errorf("report with verdicts does not validate: %v", err)
	}
}

// fibModule copies the fib demo into a module of its own.
func fibModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"main.go", "main_test.go"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "testdata", "fib", name))
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

// TestVerifyPGO builds a demo with a CPU profile as -pgo and records the
// A/B measurement on the pgo recommendation, whatever its verdict.
func TestVerifyPGO(t *testing.T) {
	t.Parallel() // each works in its own temporary module
	if testing.Short() {
		t.Skip("builds and benchmarks a demo")
	}
	cfg := demoVerifyConfig(t, "fib", "-n", "27", "-rounds", "2")
	cfg.CPUProfile = filepath.Join(t.TempDir(), "cpu.pprof")
	if out, err := exec.Command("go", "test", "-count=1", "-run", "TestFib", "-cpuprofile", cfg.CPUProfile, cfg.Package).CombinedOutput(); err != nil {
		t.Fatalf("collecting a CPU profile: %v\n%s", err, out)
	}
	rep := &report.Report{
		Summary:         &report.Summary{Class: report.ClassCPU},
		Recommendations: []report.Recommendation{{Kind: report.KindPGO, Text: "x"}},
	}
	Run(context.Background(), rep, cfg)
	v := rep.Recommendations[0].Verified
	if v == nil || v.Tests != "none" || v.Runs < DefaultRuns || v.Speedup <= 0 {
		t.Fatalf("pgo not measured: %+v; errors %v", v, rep.Errors)
	}
	t.Logf("pgo: %s", describe(v))
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
	cfg := Options{ModuleDir: dir, Dir: dir, Package: ".", PackageDir: dir, OwnPackages: []string{"example.com/m"}}
	vr := &verifier{o: cfg, t: realTools, rep: rep, ctx: context.Background()}
	cands := vr.candidates()
	notes := rep.Errors
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
	t.Parallel() // each works in its own temporary module
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
	cfg := Options{
		ModuleDir: dir, Dir: dir, Package: ".", PackageDir: dir, OwnPackages: []string{"example.com/b"},
		Args: []string{"-n", "30000"}, Budget: 2 * time.Minute, Runs: DefaultRuns,
		Progress: func(msg string) { t.Log(msg) }, Diff: &bytes.Buffer{},
	}
	Run(context.Background(), rep, cfg)
	v := rep.Recommendations[0].Verified
	if v == nil || !benchstat.Win(v) || v.Tests != "none" {
		t.Fatalf("builder rewrite: %+v; errors %v", v, rep.Errors)
	}
	t.Logf("builder: %s", describe(v))
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
	dst := filepath.Join(dir, "default.pgo")
	if _, err := writePGO(&out, prof, dir, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dst); err == nil || !strings.Contains(out.String(), "would copy") {
		t.Errorf("--dry-run wrote default.pgo or said nothing: %q", out.String())
	}
	if _, err := writePGO(&out, prof, dir, false); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "profile bytes" {
		t.Errorf("default.pgo = %q", b)
	}
	if err := os.WriteFile(dst, []byte("the user's own"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := writePGO(&out, prof, dir, false); err == nil {
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
	t.Parallel() // each works in its own temporary module
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
	cfg := Options{
		ModuleDir: dir, Dir: dir, Package: ".", PackageDir: dir, OwnPackages: []string{"example.com/lib"},
		Bench: "BenchmarkDigits", Benchtime: "300x", Budget: 2 * time.Minute, Runs: DefaultRuns,
		Progress: func(msg string) { t.Log(msg) }, Diff: &bytes.Buffer{},
	}
	Run(context.Background(), rep, cfg)
	v := rep.Recommendations[0].Verified
	if v == nil || !benchstat.Win(v) || v.Tests != "pass" {
		t.Fatalf("builder rewrite through benchmarks: %+v; errors %v", v, rep.Errors)
	}
	t.Logf("Bench: %s", describe(v))
	if v.AllocsBefore == nil || v.AllocsAfter == nil || *v.AllocsBefore < 1000 || *v.AllocsAfter > 100 {
		t.Errorf("allocs/op should drop from about 2000 to a few: %+v", v)
	}
}

// TestVerifyRuleFix verifies a rule's own suggested fix (prealloc) for the
// recommendation that cites its finding.
func TestVerifyRuleFix(t *testing.T) {
	t.Parallel() // each works in its own temporary module
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
	cfg := Options{
		ModuleDir: dir, Dir: dir, Package: ".", PackageDir: dir, OwnPackages: []string{"example.com/p"},
		Args: []string{"-n", "500000"}, Budget: 2 * time.Minute, Runs: DefaultRuns,
		Fix: true, DryRun: true, Progress: func(msg string) { t.Log(msg) }, Diff: &diff,
	}
	Run(context.Background(), rep, cfg)
	v := rep.Recommendations[0].Verified
	if v == nil {
		t.Fatalf("prealloc fix not measured; errors %v", rep.Errors)
	}
	t.Logf("prealloc: %s", describe(v))
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

// TestFixRefusesChangedFile checks that when a file was edited after the
// analysis, --fix writes nothing (not even the files that did not change)
// and prints no diff.
func TestFixRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	edited, untouched := filepath.Join(dir, "a.go"), filepath.Join(dir, "b.go")
	analyzed := []byte("package a\n")
	for f, content := range map[string]string{edited: "package a // edited\n", untouched: "package a\n"} {
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, dry := range []bool{false, true} {
		var diff bytes.Buffer
		written, err := Fix(&diff, []lint.Change{
			{File: untouched, Old: analyzed, New: []byte("package a\n\nvar Y = 1\n")},
			{File: edited, Old: analyzed, New: []byte("package a\n\nvar X = 1\n")},
		}, dry)
		if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "a.go changed since it was analyzed") || len(written) != 0 {
			t.Errorf("dry %v: Fix over an edited file: %v, wrote %q", dry, err, written)
		}
		if diff.Len() != 0 {
			t.Errorf("dry %v: a refused fix printed its diff:\n%s", dry, diff.String())
		}
		if b, _ := os.ReadFile(edited); string(b) != "package a // edited\n" {
			t.Errorf("edited file was overwritten: %q", b)
		}
		if b, _ := os.ReadFile(untouched); string(b) != "package a\n" {
			t.Errorf("a refused fix wrote the other file: %q", b)
		}
	}
}

// TestFix verifies the memoization of fib in a copy of the demo and writes
// it: gofmt'd, atomically, with a diff; --dry-run writes nothing.
func TestFix(t *testing.T) {
	t.Parallel() // each works in its own temporary module
	if testing.Short() {
		t.Skip("builds, tests and benchmarks a demo")
	}
	for _, dry := range []bool{true, false} {
		dir := fibModule(t)
		file := filepath.Join(dir, "main.go")
		orig, _ := os.ReadFile(file)
		line := lineOf(t, file, "return fib(n-1) + fib(n-2)")
		var diff bytes.Buffer
		cfg := Options{
			ModuleDir: dir, Dir: dir, Package: ".", PackageDir: dir, OwnPackages: []string{"example.com/fib"},
			Args: []string{"-n", "30", "-rounds", "2"}, Budget: 2 * time.Minute, Runs: DefaultRuns,
			Fix: true, DryRun: dry, Progress: func(msg string) { t.Log(msg) }, Diff: &diff,
		}
		rep := &report.Report{Recommendations: []report.Recommendation{{
			Kind: report.KindCache, Function: "main.fib", File: "main.go", Line: line, Text: "x",
			Findings: []string{"overlaprecursion@main.go:" + strconv.Itoa(line)},
		}}}
		Run(context.Background(), rep, cfg)
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

// A recommendation that measurement refuted goes below the ones still only
// estimated, and a verified win above them; each group keeps its order.
func TestRankByVerdict(t *testing.T) {
	slower := &report.Verified{Speedup: 0.6, CILow: 0.4, CIHigh: 0.9, P: 0.001, Runs: 10, Tests: "none"}
	same := &report.Verified{Speedup: 1.01, CILow: 0.95, CIHigh: 1.05, P: 0.6, Runs: 10, Tests: "none"}
	faster := &report.Verified{Speedup: 1.5, CILow: 1.3, CIHigh: 1.7, P: 0.001, Runs: 10, Tests: "pass"}
	rep := &report.Report{Recommendations: []report.Recommendation{
		{Kind: "workers", Verified: slower},
		{Kind: "goroutines", Verified: same},
		{Kind: "pgo"},
		{Kind: "cache", Verified: faster},
		{Kind: "hoist"},
	}}
	rankByVerdict(rep)
	var got []string
	for _, r := range rep.Recommendations {
		got = append(got, r.Kind)
	}
	if want := "cache pgo hoist workers goroutines"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
