package lintcmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// benchFunc matches the declaration of a benchmark in a _test.go file.
var benchFunc = regexp.MustCompile(`(?m)^func Benchmark\w*\(\w+ \*testing\.B\)`)

// benchRun is what --bench ran: the CPU profiles written, in a temporary
// directory that remove deletes, and how many packages had benchmarks.
type benchRun struct {
	files    []string
	packages int
	tmp      string
}

func (b *benchRun) remove() {
	if b != nil && b.tmp != "" {
		os.RemoveAll(b.tmp)
	}
}

// runBenchmarks runs, one package at a time (benchmarks running side by
// side disturb each other), the benchmarks matching o.Bench of the linted
// packages in dirs that have any, under the CPU profiler: `go test -run
// '^$' -bench o.Bench -benchtime o.BenchTime -cpuprofile`. A package whose
// benchmarks fail is reported on stderr, one line, and left out; it is an
// error (naming the first failure) when none wrote a profile.
func runBenchmarks(ctx context.Context, stderr io.Writer, dirs []string, o ShowOptions) (*benchRun, error) {
	var withBench []string
	for _, d := range dirs {
		if hasBenchmark(d) {
			withBench = append(withBench, d)
		}
	}
	if len(withBench) == 0 {
		return nil, fmt.Errorf("--bench: none of the packages linted has a benchmark (func BenchmarkXxx(b *testing.B) in a _test.go file)")
	}
	tmp, err := os.MkdirTemp("", "advisor-bench-")
	if err != nil {
		return nil, fmt.Errorf("--bench: %w", err)
	}
	run := &benchRun{packages: len(withBench), tmp: tmp}
	var failed []string
	for i, d := range withBench {
		prof := filepath.Join(tmp, fmt.Sprintf("%d.pprof", i))
		args := []string{"test", "-run", "^$", "-bench", o.Bench, "-benchtime", o.BenchTime, "-count", "1",
			"-cpuprofile", prof, "-o", filepath.Join(tmp, fmt.Sprintf("%d.test", i))}
		if len(o.Tags) > 0 {
			args = append(args, "-tags", strings.Join(o.Tags, ","))
		}
		cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
		cmd.Dir = d
		out, err := cmd.CombinedOutput()
		if ctx.Err() != nil {
			run.remove()
			return nil, fmt.Errorf("--bench: %w", ctx.Err())
		}
		rel := displayList([]string{d}, o.Dir)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: go test -bench: %v: %s", rel, err, failLine(out)))
			continue
		}
		if fi, err := os.Stat(prof); err == nil && fi.Size() > 0 {
			run.files = append(run.files, prof)
		}
	}
	if len(run.files) == 0 {
		run.remove()
		switch len(failed) {
		case 0:
			return nil, fmt.Errorf("--bench %q: no benchmark wrote a profile", o.Bench)
		case 1:
			return nil, fmt.Errorf("--bench: no benchmark ran: %s", failed[0])
		}
		return nil, fmt.Errorf("--bench: no benchmark ran: %s (and %d more packages)", failed[0], len(failed)-1)
	}
	for _, f := range failed {
		fmt.Fprintf(stderr, "advisor: --bench: %s\n", f)
	}
	return run, nil
}

// hasBenchmark reports whether a _test.go file of dir declares a benchmark.
func hasBenchmark(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, f := range files {
		b, err := os.ReadFile(f) //advisor:ignore sequentialio a handful of test files, read only for --bench
		if err == nil && benchFunc.Match(b) {
			return true
		}
	}
	return false
}

// failLine is the line of go test's output that says what went wrong: the
// first "--- FAIL", compile error or panic, else the last line.
func failLine(out []byte) string {
	text := strings.TrimSpace(string(out))
	if text == "" {
		return "no output"
	}
	lines := strings.Split(text, "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "--- FAIL") || strings.HasPrefix(l, "panic:") || strings.Contains(l, ".go:") && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}
