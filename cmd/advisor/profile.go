package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
	"github.com/spf13/pflag"

	"github.com/advisor-dev/advisor/analyze"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/verify"
	advprofile "github.com/advisor-dev/advisor/profile"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
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

	fs.DurationVar(&f.timeout, "timeout", advprofile.DefaultTimeout, "stop the target after this long (gracefully, then kill) and report what was collected")
	fs.Var(secondsValue{&f.seconds}, "seconds", "collect for this long only (10s, or a number of seconds; long-running servers; with --from, the window)")
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
	printGroupedUsage(w, fs, "advisor [flags] <package> [-- args...]\n       advisor <lint|ci|compare> ...", []flagGroup{
		{"Output", []string{"json", "format", "output", "html", "http", "all", "top", "progress", "no-lint"}},
		{"Running the target", []string{"timeout", "seconds", "keep", "tags", "ldflags", "trace-limit", "bench", "benchtime"}},
		{"Profiles from elsewhere", []string{"profile", "trace", "from"}},
		{"Verifying rewrites", []string{"verify", "fix", "dry-run", "verify-budget", "verify-runs"}},
	}, profileExamples)
}

// runProfile is the default verb: build, run and profile a target, then
// report where its time goes and what to do about it.
func runProfile(ctx context.Context, e *env, args []string) int {
	var f profileFlags
	fs := newProfileFlagSet(&f)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			profileUsage(e.stdout, fs)
			return exitOK
		}
		if own, pkg, rest, ok := targetArgsWithoutDash(fs, args); ok {
			return errorf(e, "%v: to pass arguments to the target, put them after --: advisor %s -- %s", err, strings.Join(append(own, pkg), " "), strings.Join(rest, " "))
		}
		return errorf(e, "%v (see advisor -h)", err)
	}
	if f.json {
		f.format = "json"
	}
	if f.format != "text" && f.format != "json" {
		return errorf(e, "unknown --format %q (use text or json)", f.format)
	}
	positional, targetArgs := splitDash(fs)
	imported := f.cpuFile != "" || f.traceFile != "" || f.from != ""
	if !imported && len(positional) == 0 {
		profileUsage(e.stderr, fs)
		return exitError
	}
	if len(positional) > 1 && targetArgs == nil {
		return errorf(e, "one package at a time; put the target's arguments after --: advisor %s -- %s", positional[0], strings.Join(positional[1:], " "))
	}
	if f.timeout <= 0 {
		// profile.Options treats a non-positive timeout as "none": a
		// typo must not let a hanging target run forever.
		return errorf(e, "--timeout must be positive (got %s)", f.timeout)
	}
	if f.verifyRuns < analyze.VerifyMinRuns {
		// With fewer runs per side the speedup has no 95% interval.
		return errorf(e, "--verify-runs must be at least %d (got %d)", analyze.VerifyMinRuns, f.verifyRuns)
	}
	if f.top < 1 {
		return errorf(e, "--top must be at least 1 (got %d)", f.top)
	}
	if fs.Changed("seconds") && f.seconds <= 0 {
		return errorf(e, "--seconds must be positive (got %s)", f.seconds)
	}
	if f.verifyBudget <= 0 {
		return errorf(e, "--verify-budget must be positive (got %s)", f.verifyBudget)
	}
	for flag, file := range map[string]string{"--html": f.html, "--output": f.output} {
		// Fail before a long run, not after it.
		if file == "" {
			continue
		}
		if fi, err := os.Stat(filepath.Dir(file)); err != nil || !fi.IsDir() {
			return errorf(e, "%s %s: directory %s does not exist", flag, file, filepath.Dir(file))
		}
	}
	traceLimit, err := parseSize(f.traceLimit)
	if err != nil {
		return errorf(e, "bad --trace-limit: %v", err)
	}
	if fs.Changed("trace-limit") && traceLimit <= 0 {
		return errorf(e, "--trace-limit must be a positive size such as 64MB (got %q)", f.traceLimit)
	}
	httpLn, err := listenHTTP(f.httpAddr) // a busy port fails now, not after the run
	if err != nil {
		return failRun(e, &f, "", nil, nil, fmt.Errorf("--http %s: %w", f.httpAddr, err))
	}
	if httpLn != nil {
		defer httpLn.Close() // also stops the pprof UI
	}

	// The report goes to stdout unless -o; then the target's stdout must not
	// be mixed into a machine-readable document.
	targetStdout, targetStderr := e.stdout, e.stderr
	if f.output == "" && f.format != "text" {
		// Both of the target's streams now go to one writer, copied by
		// two goroutines of os/exec: serialize them.
		w := &lockedWriter{w: e.stderr}
		targetStdout, targetStderr = w, w
	}
	progress := func(string) {}
	if f.progress || e.stderrTTY {
		progress = func(msg string) { fmt.Fprintf(e.stderr, "advisor: %s\n", msg) }
	}

	outDir := f.keep
	if outDir == "" {
		tmp, err := os.MkdirTemp("", "advisor-out-")
		if err != nil {
			return errorf(e, "create temporary directory: %v", err)
		}
		defer os.RemoveAll(tmp)
		outDir = tmp
	} else if err := os.MkdirAll(outDir, 0o755); err != nil {
		return errorf(e, "--keep: %v", err)
	}

	var pkg string
	if len(positional) > 0 {
		pkg = positional[0]
	}
	var res *advprofile.Result
	switch {
	case f.cpuFile != "" || f.traceFile != "":
		res, err = advprofile.Import(f.cpuFile, f.traceFile)
	case f.from != "":
		progress(fmt.Sprintf("collecting from %s", f.from))
		res, err = advprofile.FromURL(ctx, advprofile.URLOptions{URL: f.from, Seconds: f.seconds, OutDir: outDir, TraceLimit: traceLimit})
	case f.bench != "":
		res, err = advprofile.Bench(ctx, advprofile.BenchOptions{
			Package: pkg, Bench: f.bench, Benchtime: f.benchtime, Tags: f.tags, LDFlags: f.ldflags,
			Timeout: f.timeout, OutDir: outDir, TraceLimit: traceLimit,
			Stdout: targetStdout, Stderr: targetStderr, Progress: progress,
		})
	default:
		res, err = advprofile.Run(ctx, advprofile.Options{
			Package: pkg, Args: targetArgs, Tags: f.tags, LDFlags: f.ldflags,
			Timeout: f.timeout, Seconds: f.seconds, OutDir: outDir, TraceLimit: traceLimit,
			Stdin: e.stdin, Stdout: targetStdout, Stderr: targetStderr, Progress: progress,
		})
	}
	if err != nil {
		return failRun(e, &f, pkg, targetArgs, nil, err)
	}

	if res.ModuleDir == "" {
		// Imported or remote profiles: the code in the current module is
		// the user's own.
		res.ModuleDir = moduleRoot(ctx, ".")
	}
	rep, cpu, err := buildReport(res, pkg, targetArgs, f.keep != "")
	if err != nil {
		return failRun(e, &f, pkg, targetArgs, res, err)
	}
	var lr *lint.Result
	interrupted := ctx.Err() != nil // Ctrl-C: report what was collected, start nothing new
	if !f.noLint && pkg != "" && f.from == "" && !interrupted {
		progress("running the rules")
		lr = lintTarget(ctx, rep, res, pkg, f.bench != "")
	}
	ao := analyze.AdviseOptions{All: f.all, ModuleDir: res.ModuleDir}
	if f.bench != "" {
		ao.Lengthen = "raise --benchtime (e.g. --benchtime 3s) so the benchmark runs longer"
	}
	if err := analyze.Advise(rep, cpu, ao); err != nil {
		rep.Errors = append(rep.Errors, err.Error())
	}
	if res.TimedOut {
		// Said on stderr too, but a reader of the JSON or -o report must
		// also learn that the run was cut short.
		rep.Errors = append(rep.Errors, fmt.Sprintf("the target did not finish within --timeout %s; the report covers the partial run", f.timeout))
	}
	if res.Canceled {
		rep.Errors = append(rep.Errors, "interrupted: the report covers the partial run")
	}
	var verified verify.Result
	var fixErr error
	if (f.verify || f.fix || f.dryRun) && !interrupted {
		verified, fixErr = verifyAndFix(ctx, e, rep, res, lr, pkg, targetArgs, &f, progress)
		verified.Interrupted = verified.Interrupted || ctx.Err() != nil
	}

	if code := writeReport(e, rep, &f, res); code != exitOK {
		return code
	}
	if httpLn != nil && res.CPUProfile != "" {
		fmt.Fprintf(e.stderr, "advisor: serving the pprof UI for %s on %s (Ctrl-C to stop)\n", res.CPUProfile, httpLn.Addr())
		// pprof's server cannot be stopped, and Ctrl-C only cancels ctx
		// (main catches the signal): stop waiting for it then, so that
		// the deferred clean-up runs and advisor exits.
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

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// collectError prints a collection failure: one line, plus the tool output
// (e.g. the compiler's errors) when there is some.
func collectError(e *env, err error) int {
	var ue *advprofile.UserError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "advisor: %s\n", ue.Msg)
		// The go command's output follows the summary unless the summary
		// already says all of it (a one-line go list error).
		if out := strings.TrimSpace(ue.Output); out != "" && !strings.Contains(ue.Msg, out) {
			fmt.Fprintln(e.stderr, indent(out, "\t"))
		}
		return exitError
	}
	return errorf(e, "%v", err)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// buildReport parses the collected profiles and attributes the run's time.
func buildReport(res *advprofile.Result, pkg string, args []string, keep bool) (*report.Report, *profile.Profile, error) {
	var cpu *profile.Profile
	var notes []string
	if res.CPUProfile != "" {
		p, err := parseCPUFile(res.CPUProfile)
		switch {
		case err == nil:
			cpu = p
		case res.Trace == "" || !res.Partial:
			// A profile the user handed us, or the only input we have.
			return nil, nil, err
		default:
			notes = append(notes, fmt.Sprintf("CPU profile unusable (%v); using the trace's CPU samples", err))
		}
	}
	var trace io.Reader
	if res.Trace != "" {
		// Streamed: an imported trace can be far larger than the 8 MB a
		// run of advisor writes by default.
		tf, err := os.Open(res.Trace)
		if err != nil {
			return nil, nil, fmt.Errorf("read trace: %w", err)
		}
		defer tf.Close()
		trace = bufio.NewReader(tf)
	}
	if cpu == nil && trace == nil {
		return nil, nil, errors.New("the target produced no profile (did it exit before main, or crash during start-up?)")
	}
	rep, err := analyze.Attribute(analyze.AttributeOptions{
		CPU: cpu, Trace: trace,
		ModulePath: res.ModulePath, ModuleDir: res.ModuleDir, HookPrefix: res.HookPrefix,
		GOMAXPROCS: res.GOMAXPROCS, Wall: res.Wall,
	})
	if err != nil {
		if res.SkippedExitHooks {
			return nil, nil, errors.New("the target left through syscall.Exit before a profile was complete (it skips exit hooks): return from main or call os.Exit instead, or run it for more than a second")
		}
		if res.Trace != "" {
			return nil, nil, fmt.Errorf("%s: %w", res.Trace, err)
		}
		return nil, nil, err
	}
	if rep.Target == nil {
		rep.Target = &report.Target{}
	}
	t := rep.Target
	t.Package = pkg
	t.Args = args
	if t.Args == nil {
		t.Args = []string{}
	}
	t.ExitCode = res.ExitCode
	if keep {
		t.Profiles = map[string]string{}
		if res.CPUProfile != "" {
			t.Profiles["cpu"] = res.CPUProfile
		}
		if res.Trace != "" {
			t.Profiles["trace"] = res.Trace
		}
	}
	rep.Errors = append(append(notes, res.Warnings...), rep.Errors...)
	return rep, cpu, nil
}

func parseCPUFile(path string) (*profile.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open CPU profile: %w", err)
	}
	defer f.Close()
	p, err := analyze.ParseCPUProfile(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// lintTarget runs the rules over the target's own packages (the package and
// the packages of its module it imports), adds the findings to rep and
// returns the result (nil if the rules could not run) for verification.
func lintTarget(ctx context.Context, rep *report.Report, res *advprofile.Result, pkg string, tests bool) *lint.Result {
	patterns, err := ownPackages(ctx, pkg)
	if err != nil {
		rep.Errors = append(rep.Errors, fmt.Sprintf("rules not run: %v", err))
		return nil
	}
	lr, err := lint.Run(ctx, lint.Config{Dir: res.ModuleDir, Patterns: patterns, Tests: tests, Rules: all.Rules()})
	if err != nil {
		rep.Errors = append(rep.Errors, fmt.Sprintf("rules not run: %v", err))
		return nil
	}
	rep.Findings = append(rep.Findings, lr.Findings...)
	rep.Errors = append(rep.Errors, lr.PackageErrors...)
	return lr
}

// ownPackages lists pkg and the packages of the main module it depends on.
func ownPackages(ctx context.Context, pkg string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.ImportPath}}{{end}}{{end}}", pkg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v: %s", pkg, err, firstLine(stderr.String()))
	}
	var pkgs []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			pkgs = append(pkgs, l)
		}
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s is not in the main module", pkg)
	}
	return pkgs, nil
}

// moduleRoot returns the root of the module containing dir, or "".
func moduleRoot(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return ""
	}
	return filepath.Dir(mod)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// writeReport renders rep in the chosen format to stdout or -o, and the HTML
// report if asked.
func writeReport(e *env, rep *report.Report, f *profileFlags, res *advprofile.Result) int {
	var buf bytes.Buffer
	var err error
	if f.format == "json" {
		err = render.JSON(&buf, rep)
	} else {
		color := f.output == "" && useColor(e, e.stdoutTTY)
		err = render.Text(&buf, rep, render.TextOptions{Color: color, All: f.all, MaxPaths: f.top,
			Imported: f.cpuFile != "" || f.traceFile != "" || f.from != ""})
	}
	if err != nil {
		return errorf(e, "%v", err)
	}
	if f.output != "" {
		if err := os.WriteFile(f.output, buf.Bytes(), 0o644); err != nil {
			return errorf(e, "write report: %v", err)
		}
	} else if _, err := e.stdout.Write(buf.Bytes()); err != nil {
		return errorf(e, "write report: %v", err)
	}
	if f.html != "" {
		if err := render.HTMLFile(f.html, rep, res.ModuleDir); err != nil {
			return errorf(e, "--html: %v", err)
		}
	}
	return exitOK
}

// useColor reports whether to color output written to a terminal: only on a
// TTY, and never when NO_COLOR is set (https://no-color.org).
func useColor(e *env, tty bool) bool {
	return tty && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
}

// parseSize parses "64MB", "512k", "1GiB" or a plain byte count; "" is 0
// (the default).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size (use e.g. 64MB)", s)
	}
	return n * mult, nil
}

// targetArgsWithoutDash spots the common mistake of passing the target's
// flags without "--" (advisor ./cmd/x -n 3). It returns advisor's own
// arguments before the package, the package and the target's flags.
// Values of advisor's flags (--from http://host/ takes a URL) are never
// taken for the package.
func targetArgsWithoutDash(fs *pflag.FlagSet, args []string) (own []string, pkg string, rest []string, ok bool) {
	for i, a := range args {
		if a == "--" {
			return nil, "", nil, false
		}
		if i > 0 && takesValue(fs, args[i-1]) {
			continue
		}
		if !strings.HasPrefix(a, "-") && (strings.HasPrefix(a, ".") || strings.Contains(a, "/")) {
			if i+1 < len(args) && strings.HasPrefix(args[i+1], "-") {
				return args[:i], a, args[i+1:], true
			}
			return nil, "", nil, false
		}
	}
	return nil, "", nil, false
}

// takesValue reports whether arg is one of fs's flags, spelled without
// "=value", that takes the next argument as its value.
func takesValue(fs *pflag.FlagSet, arg string) bool {
	if !strings.HasPrefix(arg, "-") || strings.Contains(arg, "=") {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	f := fs.Lookup(name)
	if f == nil && len(name) == 1 {
		f = fs.ShorthandLookup(name)
	}
	return f != nil && f.NoOptDefVal == ""
}
