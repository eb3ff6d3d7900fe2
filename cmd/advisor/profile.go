package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"

	"github.com/spf13/pflag"

	"github.com/advisor-dev/advisor/cmd/advisor/internal/cli"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/lintcmd"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/measure"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/verify"
	advprofile "github.com/advisor-dev/advisor/profile"
)

// profileFlags are the flags of the default verb.
type profileFlags struct {
	// output
	json     bool
	format   string
	output   string
	html     string
	httpAddr string
	all      bool
	top      int
	progress bool
	noLint   bool
	own      []string
	// collection
	timeout    time.Duration
	seconds    time.Duration
	keep       string
	tags       string
	ldflags    string
	traceLimit string
	bench      string
	benchtime  string
	cpuFile    string
	traceFile  string
	from       string
	// verification
	verify       bool
	fix          bool
	dryRun       bool
	verifyBudget time.Duration
	verifyRuns   int
}

func newProfileFlagSet(f *profileFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("advisor", pflag.ContinueOnError)
	fs.BoolVar(&f.json, "json", false, "print the report as JSON (schema advisor/v1); the target's stdout goes to stderr")
	fs.StringVar(&f.format, "format", "text", "report format: text or json")
	fs.StringVarP(&f.output, "output", "o", "", "write the report to `file` instead of stdout")
	fs.StringVar(&f.html, "html", "", "also write a self-contained HTML report to `file`")
	fs.StringVar(&f.httpAddr, "http", "", "after the report, serve the pprof web UI for the CPU profile on `addr` (e.g. :8080)")
	fs.BoolVar(&f.all, "all", false, "show findings on cold code too")
	fs.IntVar(&f.top, "top", 10, "hot paths to list in the text report")
	fs.BoolVar(&f.progress, "progress", false, "print progress to stderr even when it is not a terminal")
	fs.BoolVar(&f.noLint, "no-lint", false, "skip the static rules")
	fs.StringArrayVar(&f.own, "own", nil, "treat the packages matching `pattern` (e.g. github.com/yuin/goldmark/...) as your own code: attribution and rules look into them (repeatable)")

	fs.DurationVar(&f.timeout, "timeout", advprofile.DefaultTimeout, "stop the target after this long (gracefully, then kill) and report what was collected")
	fs.Var(cli.SecondsValue{D: &f.seconds}, "seconds", "collect for this long only (10s, or a number of seconds; long-running servers; with --from, the window)")
	fs.StringVar(&f.keep, "keep", "", "keep the raw profiles in `dir` (open them with go tool pprof / go tool trace)")
	fs.StringVar(&f.tags, "tags", "", "build tags, as for go build -tags")
	fs.StringVar(&f.ldflags, "ldflags", "", "linker flags, as for go build -ldflags (merged with what the hook needs)")
	fs.StringVar(&f.traceLimit, "trace-limit", "", "stop tracing when the trace reaches this `size` (e.g. 64MB; default 8MB)")
	fs.StringVar(&f.bench, "bench", "", "profile the benchmarks matching `regexp` of a (non-main) package via go test")
	fs.StringVar(&f.benchtime, "benchtime", "", "with --bench: go test -benchtime value")
	fs.StringVar(&f.cpuFile, "profile", "", "analyze an existing CPU profile `file` instead of running anything")
	fs.StringVar(&f.traceFile, "trace", "", "analyze an existing execution trace `file` instead of running anything")
	fs.StringVar(&f.from, "from", "", "collect from a live server's net/http/pprof at `url` for --seconds (default 10s)")
	fs.BoolVar(&f.verify, "verify", false, "try each recommendation's concrete rewrite in an overlay: build, vet, test, and benchmark it A/B against the original")
	fs.BoolVar(&f.fix, "fix", false, "like --verify, then write the verified rewrites to the source (gofmt'd, atomically) and print the diff")
	fs.BoolVar(&f.dryRun, "dry-run", false, "with --fix: print the diff only, write nothing")
	fs.DurationVar(&f.verifyBudget, "verify-budget", defaultVerifyBudget, "stop verifying after this long")
	fs.IntVar(&f.verifyRuns, "verify-runs", defaultVerifyRuns, "A/B runs of each side per rewrite (interleaved, shuffled)")
	fs.SortFlags = false
	return fs
}

const profileExamples = `  advisor ./cmd/myprog -- -n 40 input.txt     profile a main package with its arguments
  advisor --json ./cmd/myprog > report.json    the report as JSON (advisor/v1)
  advisor --bench 'BenchmarkParse$' ./parser   profile a library's benchmark
  advisor --profile cpu.pprof --trace trace.out analyze profiles collected elsewhere
  advisor --from http://127.0.0.1:6060 --seconds 10   a running server with net/http/pprof
  advisor lint ./...                           static rules only (see advisor lint -h)
  advisor ci --base origin/main ./...          benchmark gate for CI (see advisor ci -h)`

func profileUsage(w io.Writer, fs *pflag.FlagSet) {
	cli.PrintGroupedUsage(w, fs, "advisor [flags] <package> [-- args...]\n       advisor <lint|ci|compare> ...", []cli.FlagGroup{
		{Title: "Output", Names: []string{"json", "format", "output", "html", "http", "all", "top", "progress", "no-lint", "own"}},
		{Title: "Running the target", Names: []string{"timeout", "seconds", "keep", "tags", "ldflags", "trace-limit", "bench", "benchtime"}},
		{Title: "Profiles from elsewhere", Names: []string{"profile", "trace", "from"}},
		{Title: "Verifying rewrites", Names: []string{"verify", "fix", "dry-run", "verify-budget", "verify-runs"}},
	}, profileExamples)
}

// runProfile is the default verb: build, run and profile a target, then
// report where its time goes and what to do about it.
func runProfile(ctx context.Context, e *env, args []string) int {
	var f profileFlags
	var pkg string
	var targetArgs []string
	// fail reports a bad command line: one line on stderr and, under
	// --json, the one document a script reads (failRun).
	fail := func(format string, a ...any) int {
		return failRun(e, &f, pkg, targetArgs, nil, fmt.Errorf(format, a...))
	}
	fs := newProfileFlagSet(&f)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			profileUsage(e.stdout, fs)
			return exitOK
		}
		if cli.AsksJSON(args) {
			f.format = "json" // the parser may have stopped before --json
		}
		if own, pkg, rest, ok := cli.TargetArgsWithoutDash(fs, args); ok {
			return fail("%v: to pass arguments to the target, put them after --: advisor %s -- %s", err, strings.Join(append(own, pkg), " "), strings.Join(rest, " "))
		}
		return fail("%v (see advisor -h)", err)
	}
	if f.json {
		f.format = "json"
	}
	if f.format != "text" && f.format != "json" {
		return fail("unknown --format %q (use text or json)", f.format)
	}
	positional, targetArgs := cli.SplitDash(fs)
	if len(positional) > 0 {
		pkg = positional[0]
	}
	imported := f.cpuFile != "" || f.traceFile != "" || f.from != ""
	if !imported && len(positional) == 0 {
		if f.format == "json" {
			return fail("no package to profile: advisor [flags] <package> [-- args...] (see advisor -h)")
		}
		profileUsage(e.stderr, fs)
		return exitError
	}
	if len(positional) > 1 && targetArgs == nil {
		return fail("one package at a time; put the target's arguments after --: advisor %s -- %s", positional[0], strings.Join(positional[1:], " "))
	}
	if f.timeout <= 0 {
		// profile.Options treats a non-positive timeout as "none": a
		// typo must not let a hanging target run forever.
		return fail("--timeout must be positive (got %s)", f.timeout)
	}
	if f.verifyRuns < benchstat.VerifyMinRuns {
		// With fewer runs per side the speedup has no 95% interval.
		return fail("--verify-runs must be at least %d (got %d)", benchstat.VerifyMinRuns, f.verifyRuns)
	}
	if f.top < 1 {
		return fail("--top must be at least 1 (got %d)", f.top)
	}
	if fs.Changed("seconds") && f.seconds <= 0 {
		return fail("--seconds must be positive (got %s)", f.seconds)
	}
	if f.verifyBudget <= 0 {
		return fail("--verify-budget must be positive (got %s)", f.verifyBudget)
	}
	for flag, file := range map[string]string{"--html": f.html, "--output": f.output} {
		// Fail before a long run, not after it.
		if file == "" {
			continue
		}
		if fi, err := os.Stat(filepath.Dir(file)); err != nil || !fi.IsDir() {
			return fail("%s %s: directory %s does not exist", flag, file, filepath.Dir(file))
		}
	}
	traceLimit, err := advprofile.ParseSize(f.traceLimit)
	if err != nil {
		return fail("bad --trace-limit: %v", err)
	}
	if fs.Changed("trace-limit") && traceLimit <= 0 {
		return fail("--trace-limit must be a positive size such as 64MB (got %q)", f.traceLimit)
	}
	httpLn, err := render.ListenPprof(f.httpAddr) // a busy port fails now, not after the run
	if err != nil {
		return failRun(e, &f, "", nil, nil, fmt.Errorf("--http %s: %w", f.httpAddr, err))
	}
	if httpLn != nil {
		defer httpLn.Close() // also stops the pprof UI
	}

	// The report goes to stdout unless -o; then the target's stdout must not
	// be mixed into a machine-readable document.
	// stderr is written by the target's copier, the rules (progress) and
	// the run at once: serialize them.
	stderr := &cli.LockedWriter{W: e.stderr}
	targetStdout, targetStderr := e.stdout, io.Writer(stderr)
	if f.output == "" && f.format != "text" {
		targetStdout = stderr
	}
	progress := func(string) {}
	if f.progress || e.stderrTTY {
		progress = func(msg string) { fmt.Fprintf(stderr, "advisor: %s\n", msg) }
	}

	outDir := f.keep
	if outDir == "" {
		tmp, err := os.MkdirTemp("", "advisor-out-")
		if err != nil {
			return fail("create temporary directory: %v", err)
		}
		defer os.RemoveAll(tmp)
		outDir = tmp
	} else if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fail("--keep: %v", err)
	}

	sess, err := measure.Run(ctx, measure.Options{
		Package: pkg, Args: targetArgs,
		CPUFile: f.cpuFile, TraceFile: f.traceFile, From: f.from, Bench: f.bench, Benchtime: f.benchtime,
		Tags: f.tags, LDFlags: f.ldflags, Timeout: f.timeout, Seconds: f.seconds, TraceLimit: traceLimit,
		OutDir: outDir, Keep: f.keep != "", NoLint: f.noLint, All: f.all, Own: f.own,
		Stdin: e.stdin, Stdout: targetStdout, Stderr: targetStderr, Progress: progress,
	})
	if err != nil {
		return failRun(e, &f, pkg, targetArgs, sess.Result, err)
	}
	rep, res := sess.Report, sess.Result
	interrupted := ctx.Err() != nil // Ctrl-C: report what was collected, start nothing new
	var verified verify.Result
	var fixErr error
	if (f.verify || f.fix || f.dryRun) && !interrupted {
		verified, fixErr = verifyAndFix(ctx, e, sess, pkg, targetArgs, &f, progress)
		verified.Interrupted = verified.Interrupted || ctx.Err() != nil
	}

	color := f.output == "" && useColor(e, e.stdoutTTY)
	if err := render.Write(e.stdout, rep, render.ReportOptions{Format: f.format, Output: f.output, HTML: f.html, ModuleDir: res.ModuleDir,
		Text: render.TextOptions{Color: color, All: f.all, MaxPaths: f.top, Imported: f.cpuFile != "" || f.traceFile != "" || f.from != "",
			Root: res.ModuleDir, WorkDir: lintcmd.WorkDir("")}}); err != nil {
		return errorf(e, "%v", err)
	}
	if httpLn != nil && res.CPUProfile != "" {
		fmt.Fprintf(e.stderr, "advisor: serving the pprof UI for %s on %s (Ctrl-C to stop)\n", res.CPUProfile, httpLn.Addr())
		// Ctrl-C only cancels ctx (main catches the signal): stop waiting
		// then, so that the deferred clean-up (closing the listener stops
		// the server) runs and advisor exits.
		served := make(chan error, 1)
		go func() { served <- render.ServePprofOn(httpLn, res.CPUProfile) }()
		select {
		case err := <-served:
			if err != nil {
				return errorf(e, "--http: %v", err)
			}
		case <-ctx.Done():
		}
	}
	switch {
	case res.TimedOut:
		return errorf(e, "%s did not finish within --timeout %s; the report covers the partial run", pkg, f.timeout)
	case res.Crashed:
		return errorf(e, "%s crashed; the report covers the run up to the crash", pkg)
	case res.Canceled:
		return errorf(e, "interrupted; the report covers the partial run")
	case verified.Interrupted:
		return errorf(e, "interrupted during --verify; the report has the verdicts measured so far and nothing was written")
	case fixErr != nil:
		return errorf(e, "--fix: %v", fixErr)
	}
	return exitOK
}

// useColor reports whether to color output written to a terminal: only on a
// TTY, and never when NO_COLOR is set (https://no-color.org).
func useColor(e *env, tty bool) bool {
	return tty && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
}
