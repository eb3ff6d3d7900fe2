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

	"github.com/advisor-dev/advisor/profile"
	pprof "github.com/google/pprof/profile"
)

// benchFunc matches the declaration of a benchmark in a _test.go file.
var benchFunc = regexp.MustCompile(`(?m)^func Benchmark\w*\(\w+ \*testing\.B\)`)

// benchRun is what --bench ran: a CPU profile per package whose
// benchmarks ran (the package's directory in names, for messages), and how
// many packages had benchmarks.
type benchRun struct {
	profiles []*pprof.Profile
	names    []string
	packages int
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
	// The profiles and test binaries go to a temporary directory; the
	// profiles are read into memory before it is removed.
	tmp, err := os.MkdirTemp("", "advisor-bench-")
	if err != nil {
		return nil, fmt.Errorf("--bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	run := &benchRun{packages: len(withBench)}
	var failed []string
	for i, d := range withBench {
		p, err := benchPackage(ctx, d, tmp, i, o)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("--bench: %w", ctx.Err())
		}
		name := displayList([]string{d}, o.Dir)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if p != nil {
			run.profiles = append(run.profiles, p)
			run.names = append(run.names, name)
		}
	}
	if len(run.profiles) == 0 {
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

// minBenchSamples is how many CPU samples benchPackage wants of a
// package's benchmarks: on a busy machine one run of a short benchtime can
// hold a handful, none of them in the package's code. maxBenchRuns bounds
// the runs.
const (
	minBenchSamples = 50
	maxBenchRuns    = 5
)

// benchPackage runs the benchmarks of the package in dir under the CPU
// profiler, again (up to maxBenchRuns runs) until the profiles hold
// minBenchSamples samples, and returns their profile (the runs merged), nil
// when the test binary wrote none.
func benchPackage(ctx context.Context, dir, tmp string, i int, o ShowOptions) (*pprof.Profile, error) {
	var ps []*pprof.Profile
	samples := int64(0)
	for run := 0; run < maxBenchRuns && samples < minBenchSamples; run++ {
		prof := filepath.Join(tmp, fmt.Sprintf("%d-%d.pprof", i, run))
		args := []string{"test", "-run", "^$", "-bench", o.Bench, "-benchtime", o.BenchTime, "-count", "1",
			"-cpuprofile", prof, "-o", filepath.Join(tmp, fmt.Sprintf("%d.test", i))}
		if len(o.Tags) > 0 {
			args = append(args, "-tags", strings.Join(o.Tags, ","))
		}
		cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go test -bench: %v: %s", err, profile.TestFailure(string(out)))
		}
		if fi, err := os.Stat(prof); err != nil || fi.Size() == 0 {
			break // no profile: running again will not write one either
		}
		p, err := readProfile(prof)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
		col, err := p.SampleIndexByName("samples")
		for _, s := range p.Sample {
			if err != nil || col >= len(s.Value) {
				samples++
				continue
			}
			samples += s.Value[col]
		}
	}
	switch len(ps) {
	case 0:
		return nil, nil
	case 1:
		return ps[0], nil
	}
	merged, err := pprof.Merge(ps)
	if err != nil {
		return nil, fmt.Errorf("merging its profiles: %w", err)
	}
	return merged, nil
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
