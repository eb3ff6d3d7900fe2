// Package measure runs one profiling session of advisor's default verb:
// it collects the target's profiles (a run, a benchmark, a live server or
// files collected elsewhere), runs the static rules over the target's own
// packages while the target runs, attributes the time and adds the advice.
// The result is an advisor/v1 report; rendering and exit codes are the
// caller's.
package measure

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/pprof/profile"

	"github.com/advisor-dev/advisor/analyze"
	"github.com/advisor-dev/advisor/analyze/advise"
	"github.com/advisor-dev/advisor/analyze/report"
	advprofile "github.com/advisor-dev/advisor/profile"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
)

// Options say what to measure and how.
type Options struct {
	// Package is the main package (or, with Bench, the package whose
	// benchmarks run) as the user typed it; "" with imported profiles.
	Package string
	// Args are the target's arguments.
	Args []string

	// CPUFile and TraceFile are profiles collected elsewhere; From is the
	// URL of a live server's net/http/pprof. Any of them means nothing is
	// run.
	CPUFile, TraceFile, From string
	// Bench, if set, profiles the package's benchmarks matching it through
	// go test, with Benchtime.
	Bench, Benchtime string

	// Tags and LDFlags go to the build and Tags to the rules too.
	Tags, LDFlags string
	// Timeout bounds the run, Seconds the collection window.
	Timeout, Seconds time.Duration
	// TraceLimit bounds the execution trace in bytes (0: the default).
	TraceLimit int64
	// OutDir receives the profiles; Keep says the user keeps them (their
	// paths go into the report).
	OutDir string
	Keep   bool

	// NoLint skips the static rules; All keeps findings on cold code.
	NoLint, All bool
	// Own are package patterns of dependencies to treat as the target's
	// own code, for attribution and for the rules (--own).
	Own []string

	// Stdin, Stdout and Stderr are the target's streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Progress receives short status messages; nil means none.
	Progress func(string)
}

// Session is what one measurement produced.
type Session struct {
	// Report is the advisor/v1 report, with findings and recommendations.
	Report *report.Report
	// CPU is the parsed CPU profile, nil if there was none.
	CPU *profile.Profile
	// Result says how the target ran and where its profiles are.
	Result *advprofile.Result
	// Lint is the rules' result, nil if they did not run.
	Lint *lint.Result
	// OwnPackages are the target's own packages ("" Package: none).
	OwnPackages []string
}

// Run measures the target; on error the session still has Result when the
// profiles were collected but could not be attributed. A collection the user's input made impossible
// (no such package, a corrupt profile, ...) is an error, a
// *profile.UserError where the profile package says so; a target that
// crashed, timed out or was interrupted is not: see Session.Result and the
// report's errors.
//
// The rules need only the source, so they run while the target runs, under
// a context that Ctrl-C does not cancel: an interrupted run still gets them.
func Run(ctx context.Context, o Options) (*Session, error) {
	if o.Progress == nil {
		o.Progress = func(string) {}
	}
	s := &Session{}
	rules := make(chan func(*report.Report), 1)
	if o.NoLint || o.Package == "" || o.From != "" {
		rules <- func(*report.Report) {}
	} else {
		go func() { rules <- s.runRules(context.WithoutCancel(ctx), o) }()
	}

	res, err := collect(ctx, o)
	if err != nil {
		<-rules
		return s, err
	}
	if res.ModuleDir == "" {
		// Imported or remote profiles: the code in the current module is
		// the user's own.
		res.ModuleDir = advprofile.ModuleRoot(ctx, ".")
	}
	s.Result = res
	rep, cpu, model, err := attribute(res, o)
	if err != nil {
		<-rules
		return s, err
	}
	s.Report, s.CPU = rep, cpu
	if !o.NoLint && o.Package != "" && o.From == "" {
		o.Progress("waiting for the rules")
	}
	(<-rules)(rep)

	ao := advise.Options{All: o.All, ModuleDir: res.ModuleDir, Model: model}
	if s.Lint != nil {
		for _, l := range s.Lint.Loops {
			ao.Loops = append(ao.Loops, advise.Loop(l))
		}
	}
	if o.Bench != "" {
		ao.Lengthen = "raise --benchtime (e.g. --benchtime 3s) so the benchmark runs longer"
	}
	if err := advise.Advise(rep, cpu, ao); err != nil {
		rep.Errors = append(rep.Errors, err.Error())
	}
	own := func(pkg string) bool {
		return pkg == "main" || res.ModulePath != "" && (pkg == res.ModulePath || strings.HasPrefix(pkg, res.ModulePath+"/")) || analyze.MatchPackage(o.Own, pkg)
	}
	if d, ok := advise.HotDependency(cpu, own, 0.5); ok {
		// One dependency holds most of the run: the advice can only
		// point at the own code that calls it unless the user looks in.
		rep.Errors = append(rep.Errors, d.Note())
	}
	if res.TimedOut {
		// Said on stderr too, but a reader of the JSON or -o report must
		// also learn that the run was cut short.
		rep.Errors = append(rep.Errors, fmt.Sprintf("the target did not finish within --timeout %s; the report covers the partial run", o.Timeout))
	}
	if res.Canceled {
		rep.Errors = append(rep.Errors, "interrupted: the report covers the partial run")
	}
	return s, nil
}

// collect runs or imports the profiles.
func collect(ctx context.Context, o Options) (*advprofile.Result, error) {
	switch {
	case o.CPUFile != "" || o.TraceFile != "":
		return advprofile.Import(o.CPUFile, o.TraceFile)
	case o.From != "":
		o.Progress(fmt.Sprintf("collecting from %s", o.From))
		return advprofile.FromURL(ctx, advprofile.URLOptions{URL: o.From, Seconds: o.Seconds, OutDir: o.OutDir, TraceLimit: o.TraceLimit})
	case o.Bench != "":
		return advprofile.Bench(ctx, advprofile.BenchOptions{
			Package: o.Package, Bench: o.Bench, Benchtime: o.Benchtime, Tags: o.Tags, LDFlags: o.LDFlags,
			Timeout: o.Timeout, OutDir: o.OutDir, TraceLimit: o.TraceLimit,
			Stdout: o.Stdout, Stderr: o.Stderr, Progress: o.Progress,
		})
	}
	return advprofile.Run(ctx, advprofile.Options{
		Package: o.Package, Args: o.Args, Tags: o.Tags, LDFlags: o.LDFlags,
		Timeout: o.Timeout, Seconds: o.Seconds, OutDir: o.OutDir, TraceLimit: o.TraceLimit,
		Stdin: o.Stdin, Stdout: o.Stdout, Stderr: o.Stderr, Progress: o.Progress,
	})
}

// runRules runs the rules over the target's own packages (the package and
// the packages of its module it imports) and returns what adds their
// findings, or why they did not run, to the report. It sets s.Lint and
// s.OwnPackages; the caller reads them only after receiving the result.
func (s *Session) runRules(ctx context.Context, o Options) func(*report.Report) {
	o.Progress("running the rules")
	own, err := advprofile.OwnPackages(ctx, "", o.Package, o.Tags)
	if err != nil {
		return func(rep *report.Report) { rep.Errors = append(rep.Errors, fmt.Sprintf("rules not run: %v", err)) }
	}
	own = append(own, o.Own...)
	s.OwnPackages = own
	var tags []string
	if o.Tags != "" {
		tags = strings.Split(o.Tags, ",")
	}
	lr, err := lint.Run(ctx, lint.Config{Patterns: own, Tests: o.Bench != "", Tags: tags, Rules: all.Rules()})
	if err != nil {
		return func(rep *report.Report) { rep.Errors = append(rep.Errors, fmt.Sprintf("rules not run: %v", err)) }
	}
	s.Lint = lr
	return func(rep *report.Report) {
		rep.Findings = append(rep.Findings, lr.Findings...)
		rep.Errors = append(rep.Errors, lr.PackageErrors...)
	}
}

// attribute parses the collected profiles and attributes the run's time.
func attribute(res *advprofile.Result, o Options) (*report.Report, *profile.Profile, *analyze.Model, error) {
	var cpu *profile.Profile
	var notes []string
	if res.CPUProfile != "" {
		p, err := parseCPUFile(res.CPUProfile)
		switch {
		case err == nil:
			cpu = p
		case res.Trace == "" || !res.Partial:
			// A profile the user handed us, or the only input we have.
			return nil, nil, nil, err
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
			return nil, nil, nil, fmt.Errorf("read trace: %w", err)
		}
		defer tf.Close()
		trace = bufio.NewReader(tf)
	}
	if cpu == nil && trace == nil {
		return nil, nil, nil, errors.New("the target produced no profile (did it exit before main, or crash during start-up?)")
	}
	rep, model, err := analyze.AttributeModel(analyze.AttributeOptions{
		CPU: cpu, Trace: trace,
		ModulePath: res.ModulePath, ModuleDir: res.ModuleDir, HookPrefix: res.HookPrefix,
		GOMAXPROCS: res.GOMAXPROCS, Wall: res.Wall, OwnPatterns: o.Own,
		// A live server, a collection window or a run cut short has no
		// single end: attributed per request when it serves.
		Window: o.From != "" || o.Seconds > 0 || res.TimedOut || res.Canceled,
	})
	if err != nil {
		if res.SkippedExitHooks {
			return nil, nil, nil, errors.New("the target left through syscall.Exit before a profile was complete (it skips exit hooks): return from main or call os.Exit instead, or run it for more than a second")
		}
		if res.Trace != "" {
			return nil, nil, nil, fmt.Errorf("%s: %w", res.Trace, err)
		}
		return nil, nil, nil, err
	}
	if rep.Target == nil {
		rep.Target = &report.Target{}
	}
	t := rep.Target
	t.Package = o.Package
	t.Args = o.Args
	if t.Args == nil {
		t.Args = []string{}
	}
	t.ExitCode = res.ExitCode
	if o.Keep {
		t.Profiles = map[string]string{}
		if res.CPUProfile != "" {
			t.Profiles["cpu"] = res.CPUProfile
		}
		if res.Trace != "" {
			t.Profiles["trace"] = res.Trace
		}
	}
	rep.Errors = append(append(notes, res.Warnings...), rep.Errors...)
	return rep, cpu, model, nil
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

// Failure describes a run that produced no report: the error to print (a
// target that crashed before anything could be profiled says so, rather
// than naming a removed temporary file) and the advisor/v1 document that
// --json still prints, whose errors say why. res is what was collected,
// nil if nothing ran.
func Failure(pkg string, args []string, res *advprofile.Result, err error) (*report.Report, error) {
	if res != nil && res.Crashed {
		why := err.Error()
		if len(res.Warnings) > 0 {
			why = strings.Join(res.Warnings, "; ")
		}
		err = fmt.Errorf("%s crashed before anything could be profiled (%s)", pkg, why)
	}
	msg := err.Error()
	if ue := (*advprofile.UserError)(nil); errors.As(err, &ue) {
		msg = ue.Msg
	}
	rep := report.NewReport()
	if pkg != "" {
		if args == nil {
			args = []string{}
		}
		rep.Target = &report.Target{Package: pkg, Args: args}
	}
	if res != nil {
		if rep.Target != nil {
			rep.Target.ExitCode = res.ExitCode
		}
		rep.Errors = append(rep.Errors, res.Warnings...)
	}
	rep.Errors = append(rep.Errors, msg)
	return rep, err
}
