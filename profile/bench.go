package profile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
)

// BenchOptions configures Bench.
type BenchOptions struct {
	// Dir is the working directory the package is resolved in; "" means
	// the current directory. Benchmarks run in the package's directory, as
	// under go test.
	Dir string
	// Package is the package whose benchmarks run, as the user typed it.
	Package string
	// Bench is the -bench regular expression; "" means ".".
	Bench string
	// Benchtime is the -benchtime value ("1s", "100x"); "" for the default.
	Benchtime string
	// Count is the -count value; 0 means 1.
	Count int
	// Tags, LDFlags and BuildFlags are as in Options.
	Tags, LDFlags string
	BuildFlags    []string
	// Timeout, Grace, OutDir, TraceLimit, TraceWindow, BlockProfileRate
	// and Env are as in Options.
	Timeout, Grace   time.Duration
	OutDir           string
	TraceLimit       int64
	TraceWindow      TraceWindow
	BlockProfileRate int
	Env              []string
	// Stdout receives the benchmark output (go test -bench format, with
	// -benchmem columns); Stderr the rest. nil discards.
	Stdout, Stderr io.Writer
	// Progress is as in Options.
	Progress func(msg string)
}

// Bench profiles a package's benchmarks, like
//
//	go test -run '^$' -bench X -benchmem -cpuprofile cpu.pprof -trace trace.out
//
// except that the collection is done by the same hook as Run (added to the
// package's tests through an overlay), so the trace is bounded by
// TraceLimit, a timeout flushes the profiles before stopping the binary,
// and meta.json records the wall time. A benchmark that fails gives a
// Result with a non-zero ExitCode; a regexp that matches no benchmark is a
// *UserError.
func Bench(ctx context.Context, o BenchOptions) (*Result, error) {
	bo := Options{Dir: o.Dir, Package: o.Package, Tags: o.Tags, LDFlags: o.LDFlags, BuildFlags: o.BuildFlags, Progress: o.Progress}
	t, err := build(ctx, &bo, true, true)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	bench := o.Bench
	if bench == "" {
		bench = "."
	}
	// The test binary's own timeout would panic without flushing; the
	// run's Timeout stops it gracefully instead.
	args := []string{"-test.run=^$", "-test.bench=" + bench, "-test.benchmem", "-test.timeout=0"}
	if o.Benchtime != "" {
		args = append(args, "-test.benchtime="+o.Benchtime)
	}
	if o.Count > 0 {
		args = append(args, "-test.count="+strconv.Itoa(o.Count))
	}
	lines := &benchLineCounter{w: o.Stdout}
	res, err := t.Run(ctx, Options{
		Dir: t.PackageDir, Args: args,
		Timeout: o.Timeout, Grace: o.Grace, OutDir: o.OutDir, TraceLimit: o.TraceLimit, TraceWindow: o.TraceWindow, BlockProfileRate: o.BlockProfileRate, Env: o.Env,
		Stdout: lines, Stderr: o.Stderr, Progress: o.Progress,
	})
	if err != nil {
		return nil, err
	}
	if lines.results == 0 && res.ExitCode != nil && *res.ExitCode == 0 {
		return nil, userError(fmt.Sprintf("no benchmark in %s matches -bench %q", o.Package, bench), "", nil)
	}
	return res, nil
}

// benchLineCounter passes output through and counts benchmark result lines
// ("BenchmarkX-8  1000  123 ns/op").
type benchLineCounter struct {
	w       io.Writer
	partial []byte
	results int
}

func (c *benchLineCounter) Write(p []byte) (int, error) {
	data := append(c.partial, p...)
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		line := data[:i]
		if bytes.HasPrefix(line, []byte("Benchmark")) && bytes.Contains(line, []byte("/op")) {
			c.results++
		}
		data = data[i+1:]
	}
	c.partial = append(c.partial[:0], data...)
	if c.w == nil {
		return len(p), nil
	}
	return c.w.Write(p)
}
