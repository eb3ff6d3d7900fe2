package profile

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Defaults used when the corresponding Options field is zero.
const (
	// DefaultTimeout bounds a whole run: generous, because profiling a
	// program that legitimately runs for minutes is normal.
	DefaultTimeout = 10 * time.Minute
	// DefaultTraceLimit bounds the execution trace. Tracing a
	// scheduler-heavy program costs more than its CPU profile, so a long
	// run is traced only until the trace reaches this size; the CPU
	// profile still covers the whole run.
	DefaultTraceLimit = 8 << 20
	// DefaultGrace is how long each step of a graceful stop may take
	// (flush the profiles, then interrupt) before the next, harsher one.
	DefaultGrace = 5 * time.Second
	// mutexProfileFraction samples one in this many contention events
	// (cheap: +2% CPU on a channel ping-pong, whose runtime locks count).
	mutexProfileFraction = 5
	// traceAdvancePeriod makes the runtime finish a trace generation this
	// often (the default is 1s), so a crash loses less of the trace: only
	// complete generations can be read back.
	traceAdvancePeriod = 250 * time.Millisecond
)

// File names written into Options.OutDir.
const (
	CPUFile    = "cpu.pprof"
	TraceFile  = "trace.out"
	BlockFile  = "block.pprof"
	MutexFile  = "mutex.pprof"
	AllocsFile = "allocs.pprof"
	MetaFile   = "meta.json"
)

// Options configures Build and Run. Build reads the build fields (Dir,
// Package, Tags, LDFlags, BuildFlags); Target.Run reads the run fields.
type Options struct {
	// Dir is the working directory: the package is resolved relative to
	// it and the target runs in it. "" means the current directory.
	Dir string
	// Package is the main package as the user typed it: "./cmd/x", an
	// import path, ...
	Package string
	// Args are the target's command-line arguments.
	Args []string
	// Tags is the value of -tags.
	Tags string
	// LDFlags is the value of -ldflags; the hook's own linker flag is
	// appended to it.
	LDFlags string
	// BuildFlags are other go build flags (-race, -pgo=..., -gcflags=...).
	// An -overlay is merged with the hook's overlay; -o, -tags and
	// -ldflags are rejected (use the fields above).
	BuildFlags []string

	// Timeout bounds the run; on expiry the profiles are flushed, the
	// target is interrupted and then killed. 0 means DefaultTimeout,
	// negative means no limit.
	Timeout time.Duration
	// Seconds, if > 0, stops collection after this long and then stops
	// the target like a timeout would (for long-running servers).
	Seconds time.Duration
	// Grace is how long each step of a graceful stop may take; 0 means
	// DefaultGrace.
	Grace time.Duration
	// OutDir receives cpu.pprof, trace.out, block.pprof, mutex.pprof,
	// allocs.pprof and meta.json. It must exist; the caller creates and
	// removes it (--keep). Files of those names are replaced.
	OutDir string
	// TraceLimit bounds the execution trace in bytes: tracing stops once
	// the trace reaches it (it can exceed it by what is traced while
	// stopping, under 1 MB in a scheduler-heavy program). 0 means
	// DefaultTraceLimit, negative no limit.
	TraceLimit int64
	// BlockProfileRate, if > 0, turns on the block profile
	// (runtime.SetBlockProfileRate: one sample per this many nanoseconds
	// blocked). Off by default: the execution trace already records every
	// blocking event with its stack, and timing each event costs up to
	// 1.45× CPU in channel-heavy code whatever the rate (measured on a
	// ping-pong). Worth it when the trace stops early in a long run.
	BlockProfileRate int
	// TraceWindow says which part of a run longer than the trace limit
	// the trace covers.
	TraceWindow TraceWindow
	// Env is the target's environment; nil means the advisor's own.
	Env []string

	// Stdin, Stdout and Stderr are the target's standard streams; nil
	// means the null device. Pass os.Stdin etc. to pass them through.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Progress, if not nil, receives short status messages
	// ("building ./cmd/x", "running", ...).
	Progress func(msg string)
}

// TraceWindow chooses which part of a long run the size-limited execution
// trace keeps.
type TraceWindow int

const (
	// TraceFirst traces from the start until the trace reaches its limit,
	// streaming to disk: cheap after the limit, and what was traced
	// survives a crash. The default.
	TraceFirst TraceWindow = iota
	// TraceLast traces the whole run but keeps only about the last
	// TraceLimit bytes in memory (runtime/trace.FlightRecorder), written
	// when collection stops: the steady state of a server profiled with
	// Seconds rather than its startup. The tracer's cost lasts the whole
	// run, and a crash leaves no trace.
	TraceLast
)

// Result describes one collection: the files produced and how the target
// ended.
type Result struct {
	// Paths of the profiles in the output directory, "" if not produced.
	CPUProfile, Trace, BlockProfile, MutexProfile, AllocsProfile string
	// ExitCode is the target's exit code, nil if it was killed by a signal
	// (or is unknown, as for imported profiles).
	ExitCode *int
	// Signal names the signal that ended the target ("killed",
	// "interrupt", ...), "" if it exited.
	Signal string
	// TimedOut says the run hit Options.Timeout and was stopped.
	TimedOut bool
	// Canceled says the context was cancelled and the target stopped.
	Canceled bool
	// SkippedExitHooks says the target exited through syscall.Exit (or a
	// raw exit), skipping the exit hooks that flush the profiles.
	SkippedExitHooks bool
	// Crashed says the target died without exiting normally: a panic,
	// a fatal error or a signal advisor did not send.
	Crashed bool
	// Partial says the profiles cover only part of the run, or are
	// incomplete (for example no CPU profile after a crash).
	Partial bool
	// StopReason is why collection stopped, as the hook recorded it:
	// "exit", "stopped" (by advisor), "seconds", or "" if it never flushed.
	StopReason string
	// Start is when collection started (before the main package's
	// initialization), zero if unknown.
	Start time.Time
	// Wall is the target's run time as measured by the hook (build and
	// process start excluded), or by advisor when the hook did not report.
	Wall time.Duration
	// TraceWall is how long the execution trace ran, if shorter than Wall
	// because the trace reached its size limit; 0 otherwise.
	TraceWall time.Duration
	// CPUTime is the user plus system CPU time of the target process
	// (including the profiler's own work), 0 if unknown.
	CPUTime time.Duration
	// GOMAXPROCS of the target, 0 if unknown.
	GOMAXPROCS int
	// ModulePath, ModuleDir, PackageDir and ImportPath say which code is
	// the target's own (for attribution).
	ModulePath, ModuleDir, PackageDir, ImportPath string
	// HookFile is the base name of the injected file and HookPrefix the
	// prefix of its function names; attribution excludes both.
	HookFile, HookPrefix string
	// Warnings are non-fatal problems, one line each.
	Warnings []string
}

// hookMeta is the hook's meta.json (see advisorHookMeta in hook.go.txt).
type hookMeta struct {
	Version      int      `json:"version"`
	PID          int      `json:"pid"`
	GOMAXPROCS   int      `json:"gomaxprocs"`
	NumCPU       int      `json:"num_cpu"`
	GoVersion    string   `json:"go_version"`
	ExitHook     bool     `json:"exit_hook"`
	Start        int64    `json:"start_unix_nano"`
	End          int64    `json:"end_unix_nano"`
	Reason       string   `json:"reason"`
	TraceEnd     int64    `json:"trace_end_unix_nano"`
	TraceLimited bool     `json:"trace_limited"`
	TraceBytes   int64    `json:"trace_bytes"`
	Errors       []string `json:"errors"`
}

// Run builds o.Package with the hook, runs it once and returns what was
// collected. Errors the user caused are *UserError. A target that crashes,
// exits non-zero or times out is not an error: see Result.
func Run(ctx context.Context, o Options) (*Result, error) {
	t, err := Build(ctx, o)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	return t.Run(ctx, o)
}

// Run runs the built target once with the run fields of o. If ctx is
// cancelled the target is stopped as on a timeout and the partial result is
// returned with Result.Canceled set.
func (t *Target) Run(ctx context.Context, o Options) (*Result, error) {
	if o.OutDir == "" {
		return nil, errors.New("profile: Options.OutDir is required")
	}
	outDir, err := filepath.Abs(o.OutDir)
	if err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	if fi, err := os.Stat(outDir); err != nil || !fi.IsDir() {
		return nil, userError(fmt.Sprintf("output directory %s does not exist", o.OutDir), "", err)
	}
	for _, name := range [...]string{CPUFile, TraceFile, BlockFile, MutexFile, AllocsFile, MetaFile, MetaFile + ".tmp"} {
		if err := os.Remove(filepath.Join(outDir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("clearing output directory: %w", err)
		}
	}
	timeout := o.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	grace := o.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	traceLimit := o.TraceLimit
	if traceLimit == 0 {
		traceLimit = DefaultTraceLimit
	}

	ctlR, ctlW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating control pipe: %w", err)
	}
	defer ctlW.Close()
	ackR, ackW, err := os.Pipe()
	if err != nil {
		ctlR.Close()
		return nil, fmt.Errorf("creating control pipe: %w", err)
	}
	defer ackR.Close()

	cmd := exec.Command(t.Binary, o.Args...)
	cmd.Dir = o.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = o.Stdin, o.Stdout, o.Stderr
	// ExtraFiles start at descriptor 3.
	cmd.ExtraFiles = []*os.File{ctlR, ackW}
	cmd.Env = hookEnv(o.Env, outDir, traceLimit, o.Seconds)
	var stepAside []string
	ownCPU, ownTrace := ownProfilingFlags(o.Args)
	if ownCPU != "" {
		cmd.Env = append(cmd.Env, "ADVISOR_HOOK_NO_CPU=1")
		stepAside = append(stepAside, fmt.Sprintf("the target starts its own CPU profile (%s): advisor's stepped aside; on-CPU lines come from the trace's samples", ownCPU))
	}
	if ownTrace != "" {
		cmd.Env = append(cmd.Env, "ADVISOR_HOOK_NO_TRACE=1")
		stepAside = append(stepAside, fmt.Sprintf("the target starts its own execution trace (%s): advisor's stepped aside; waiting time is not measured", ownTrace))
	}
	if o.BlockProfileRate > 0 {
		cmd.Env = append(cmd.Env, "ADVISOR_HOOK_BLOCK_RATE="+strconv.Itoa(o.BlockProfileRate))
	}
	if o.TraceWindow == TraceLast {
		cmd.Env = append(cmd.Env, "ADVISOR_HOOK_TRACE_MODE=last")
	}
	// Copying non-file stdio must not outlive the target by much.
	cmd.WaitDelay = grace

	progress(&o, "running "+t.Package)
	started := time.Now()
	err = cmd.Start()
	ctlR.Close()
	ackW.Close()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", t.Package, err)
	}
	acks := make(chan string)
	runDone := make(chan struct{})
	defer close(runDone)
	go func() {
		defer close(acks)
		sc := bufio.NewScanner(ackR)
		for sc.Scan() {
			select {
			case acks <- sc.Text():
			case <-runDone:
				return
			}
		}
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()

	res := &Result{
		ModulePath: t.ModulePath, ModuleDir: t.ModuleDir,
		PackageDir: t.PackageDir, ImportPath: t.ImportPath,
		HookFile: t.HookFile, HookPrefix: t.HookPrefix,
	}
	var timeoutC <-chan time.Time
	if timeout > 0 {
		tm := time.NewTimer(timeout)
		defer tm.Stop()
		timeoutC = tm.C
	}
	// The graceful stop is a sequence of phases, each bounded by grace:
	// ask the hook to flush, interrupt the target, kill it.
	const (
		running = iota
		flushing
		interrupted
		killed
	)
	phase := running
	var phaseC <-chan time.Time
	var stoppedByUs bool
	var next func(to int)
	next = func(to int) {
		if to <= phase {
			return
		}
		phase = to
		switch to {
		case flushing:
			stoppedByUs = true
			if _, err := io.WriteString(ctlW, "stop\n"); err != nil {
				next(interrupted) // the hook is not listening
				return
			}
		case interrupted:
			stoppedByUs = true
			progress(&o, "stopping "+t.Package)
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				next(killed)
				return
			}
		case killed:
			cmd.Process.Kill()
			phaseC = nil
			return
		}
		phaseC = time.After(grace)
	}
	var waitErr error
	canceled := ctx.Done()
loop:
	for {
		select {
		case waitErr = <-waited:
			break loop
		case <-timeoutC:
			timeoutC = nil
			res.TimedOut = true
			next(flushing)
		case <-canceled:
			canceled = nil // closed for good: do not spin on it
			res.Canceled = true
			next(flushing)
		case line, ok := <-acks:
			if !ok {
				acks = nil
				continue
			}
			// Collection is over (flushed on request or after Seconds):
			// the rest of the run has no use.
			if strings.HasPrefix(line, "stopped ") && line != "stopped exit" {
				next(interrupted)
			}
		case <-phaseC:
			next(phase + 1)
		}
	}
	exited := time.Now()
	var ee *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &ee) && !errors.Is(waitErr, exec.ErrWaitDelay) {
		return nil, fmt.Errorf("waiting for %s: %w", t.Package, waitErr)
	}
	if ps := cmd.ProcessState; ps != nil {
		res.CPUTime = ps.UserTime() + ps.SystemTime()
		if code := ps.ExitCode(); code >= 0 {
			res.ExitCode = &code
		} else {
			res.Signal = strings.TrimPrefix(ps.String(), "signal: ")
		}
	}
	collect(res, outDir, t, started, exited, stoppedByUs)
	res.Warnings = append(res.Warnings, stepAside...)
	return res, nil
}

// CPUProfileHz is the CPU sampling rate of profiled runs: twice pprof's
// 100 Hz, so a run of a fraction of a second still has samples to
// attribute (0.2 s on one core gives 40). Not more: the per-thread CPU
// timers fire at most once per kernel tick (250 Hz on common kernels), so
// at 500 Hz half the samples were lost and CPU time read as half of what
// it was (measured: 142 ms of samples for 282 ms of user time; 200 Hz kept
// 96%, as 100 Hz does).
const CPUProfileHz = 200

// ownProfilingFlags returns the command-line flags with which the target
// asks to start its own CPU profile or execution trace, "" for none. Only
// one of each can run in a process, so the hook steps aside for them.
// Matched by name, as flag and pflag spell them: -cpuprofile, --cpu-profile,
// -cpuprof=..., -trace, --trace-file, -exectrace.
func ownProfilingFlags(args []string) (cpu, trace string) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
		switch {
		case cpu == "" && (strings.Contains(n, "cpuprof") || n == "profilecpu" || n == "pprofcpu"):
			cpu = "-" + name
		case trace == "" && (n == "trace" || n == "tracefile" || n == "traceout" || n == "exectrace" || n == "traceprofile"):
			trace = "-" + name
		}
	}
	return cpu, trace
}

// hookEnv returns the target's environment: the user's, with the hook's
// settings added.
func hookEnv(base []string, outDir string, traceLimit int64, seconds time.Duration) []string {
	if base == nil {
		base = os.Environ()
	}
	env := make([]string, 0, len(base)+8)
	godebug := ""
	for _, kv := range base {
		if strings.HasPrefix(kv, "ADVISOR_HOOK_") {
			continue // from an outer advisor run
		}
		if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok {
			godebug = v
			continue
		}
		env = append(env, kv)
	}
	if !strings.Contains(godebug, "traceadvanceperiod=") {
		if godebug != "" {
			godebug += ","
		}
		godebug += "traceadvanceperiod=" + strconv.FormatInt(int64(traceAdvancePeriod), 10)
	}
	env = append(env,
		"GODEBUG="+godebug,
		"ADVISOR_HOOK_DIR="+outDir,
		"ADVISOR_HOOK_FDS=3,4",
		"ADVISOR_HOOK_MUTEX_FRACTION="+strconv.Itoa(mutexProfileFraction),
	)
	env = append(env, "ADVISOR_HOOK_CPU_HZ="+strconv.Itoa(CPUProfileHz))
	if traceLimit > 0 {
		env = append(env, "ADVISOR_HOOK_TRACE_LIMIT="+strconv.FormatInt(traceLimit, 10))
	}
	if seconds > 0 {
		env = append(env, "ADVISOR_HOOK_SECONDS="+strconv.FormatInt(int64(seconds), 10))
	}
	return env
}

// collect fills res from the files in outDir and the hook's meta.json.
func collect(res *Result, outDir string, t *Target, started, exited time.Time, stoppedByUs bool) {
	res.Warnings = append(res.Warnings, t.Warnings...)
	var meta *hookMeta
	if data, err := os.ReadFile(filepath.Join(outDir, MetaFile)); err == nil {
		var m hookMeta
		if err := json.Unmarshal(data, &m); err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("reading %s: %v", MetaFile, err))
		} else {
			meta = &m
		}
	}
	res.Wall = exited.Sub(started)
	if meta == nil {
		res.Partial = true
		res.Warnings = append(res.Warnings, "the profiler never started: the target exited before its main package was initialized")
	} else {
		res.GOMAXPROCS = meta.GOMAXPROCS
		res.StopReason = meta.Reason
		res.Start = time.Unix(0, meta.Start)
		end := exited
		if meta.End != 0 {
			end = time.Unix(0, meta.End)
		}
		res.Wall = end.Sub(res.Start)
		if meta.TraceLimited && meta.TraceEnd != 0 {
			res.TraceWall = time.Unix(0, meta.TraceEnd).Sub(res.Start)
			res.Warnings = append(res.Warnings, fmt.Sprintf("trace stopped at its size limit (%s) after %s; the CPU profile covers the whole run",
				formatBytes(meta.TraceBytes), res.TraceWall.Round(time.Millisecond)))
		}
		for _, e := range meta.Errors {
			res.Warnings = append(res.Warnings, "profiler: "+e)
		}
	}
	flushed := meta != nil && meta.Reason != ""
	switch {
	case stoppedByUs:
		if !flushed {
			res.Warnings = append(res.Warnings, "the target did not flush its profiles when asked to stop; using what was written")
		}
	case res.Signal != "":
		res.Crashed = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("the target was killed by signal %s", res.Signal))
	case !flushed && meta != nil && meta.ExitHook && res.ExitCode != nil && *res.ExitCode != 2:
		// Exit hooks run on every normal exit, and a panic or fatal error
		// exits with 2: this program left through syscall.Exit (or a
		// raw exit system call), which skips them.
		res.SkippedExitHooks = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("the target exited with status %d through syscall.Exit, which skips exit hooks: the CPU profile was not flushed and the trace ends at its last complete second", *res.ExitCode))
	case !flushed && meta != nil && meta.ExitHook:
		// Exit hooks run on every normal exit, so this was a panic or a
		// fatal runtime error.
		res.Crashed = true
		res.Warnings = append(res.Warnings, "the target crashed (panic or fatal error)")
	case !flushed && meta != nil:
		res.Warnings = append(res.Warnings, "profiles are incomplete: the target exited without the exit hook (see the build warning)")
	}
	// Stopping after Seconds flushes with reason "seconds": the requested
	// window, not a loss.
	res.Partial = res.TimedOut || res.Canceled || res.Crashed || !flushed
	res.CPUProfile = keepFile(outDir, CPUFile)
	res.Trace = keepFile(outDir, TraceFile)
	res.BlockProfile = keepFile(outDir, BlockFile)
	res.MutexProfile = keepFile(outDir, MutexFile)
	res.AllocsProfile = keepFile(outDir, AllocsFile)
	if res.CPUProfile == "" && meta != nil {
		if res.Trace != "" {
			res.Warnings = append(res.Warnings, "no CPU profile was written; the trace holds CPU samples up to its last complete generation")
		} else {
			res.Warnings = append(res.Warnings, "no CPU profile or trace was written")
		}
	} else if !flushed && res.Trace != "" {
		res.Warnings = append(res.Warnings, "the trace is incomplete; only its complete generations can be read")
	}
}

// keepFile returns the path of name in dir if it holds data; an empty file
// (a profile that was started but never written) is removed.
func keepFile(dir, name string) string {
	path := filepath.Join(dir, name)
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	if fi.Size() == 0 {
		os.Remove(path)
		return ""
	}
	return path
}

// formatBytes prints a size in the largest whole unit.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}
