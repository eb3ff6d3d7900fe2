package profile

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"golang.org/x/exp/trace"
)

// TestMain checks that no test writes into the user's tree (testdata).
func TestMain(m *testing.M) {
	before, err := treeHash("testdata")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	after, err := treeHash("testdata")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if before != after {
		fmt.Fprintln(os.Stderr, "testdata changed during the tests: the user's tree must never be written")
		code = 1
	}
	os.Exit(code)
}

// treeHash hashes the names, modes and contents of every file under dir.
func treeHash(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %v\n", path, info.Mode())
		if d.Type().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			h.Write(data)
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil)), err
}

// targets builds each test program once per test.
type targets struct {
	built map[string]*Target
}

func newTargets(t *testing.T) *targets {
	ts := &targets{built: map[string]*Target{}}
	t.Cleanup(func() {
		for _, tg := range ts.built {
			tg.Close()
		}
	})
	return ts
}

// get returns the built pkg; t is the (sub)test asking.
func (ts *targets) get(t *testing.T, pkg string) *Target {
	t.Helper()
	if tg, ok := ts.built[pkg]; ok {
		return tg
	}
	tg, err := Build(context.Background(), Options{Dir: ".", Package: pkg})
	if err != nil {
		t.Fatalf("Build(%s): %v", pkg, err)
	}
	if !tg.ExitHook {
		t.Fatalf("Build(%s) fell back to the hook without exit hook: %v", pkg, tg.Warnings)
	}
	ts.built[pkg] = tg
	return tg
}

// checkCPU parses a CPU profile and returns its sample count.
func checkCPU(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	if err := p.CheckValid(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return len(p.Sample)
}

// readTrace reads a trace to its end or first error and counts events and
// CPU samples. err is nil if the whole trace parsed.
func readTrace(t *testing.T, path string) (events, samples int, err error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := trace.NewReader(bufio.NewReader(f))
	if err != nil {
		return 0, 0, err
	}
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			return events, samples, nil
		}
		if err != nil {
			return events, samples, err
		}
		events++
		if ev.Kind() == trace.EventStackSample {
			samples++
		}
	}
}

func TestRun(t *testing.T) {
	ts := newTargets(t)
	ctx := context.Background()

	t.Run("return", func(t *testing.T) {
		out := t.TempDir()
		var stdout bytes.Buffer
		var progress []string
		res, err := ts.get(t, "./testdata/ret").Run(ctx, Options{OutDir: out, Stdout: &stdout, BlockProfileRate: 1,
			Progress: func(m string) { progress = append(progress, m) }})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode == nil || *res.ExitCode != 0 || res.Crashed || res.Partial || res.TimedOut {
			t.Fatalf("result = %+v, want a clean exit 0", res)
		}
		if res.StopReason != "exit" {
			t.Errorf("StopReason = %q, want exit", res.StopReason)
		}
		if !strings.HasPrefix(stdout.String(), "ret ok") {
			t.Errorf("stdout = %q", stdout.String())
		}
		if res.GOMAXPROCS <= 0 || res.Wall <= 0 || res.Start.IsZero() || res.CPUTime <= 0 {
			t.Errorf("GOMAXPROCS=%d Wall=%v Start=%v CPUTime=%v, want positive", res.GOMAXPROCS, res.Wall, res.Start, res.CPUTime)
		}
		if n := checkCPU(t, res.CPUProfile); n == 0 {
			t.Errorf("CPU profile has no samples")
		}
		if n := checkCPU(t, res.BlockProfile); n == 0 {
			t.Errorf("block profile has no samples with BlockProfileRate 1")
		}
		checkCPU(t, res.MutexProfile) // a valid pprof profile, maybe without samples
		if n := checkCPU(t, res.AllocsProfile); n == 0 {
			t.Errorf("allocs profile has no samples")
		}
		events, samples, err := readTrace(t, res.Trace)
		if err != nil || events == 0 || samples == 0 {
			t.Errorf("trace: %d events, %d CPU samples, err %v; want a complete trace with samples", events, samples, err)
		}
		if res.HookFile != HookFile || res.HookPrefix != "main.advisorHook" || res.ImportPath == "" || res.ModulePath == "" || res.PackageDir == "" {
			t.Errorf("attribution fields not set: %+v", res)
		}
		if !slices.Contains(progress, "running ./testdata/ret") {
			t.Errorf("progress = %q", progress)
		}
		if len(res.Warnings) != 0 {
			t.Errorf("warnings: %q", res.Warnings)
		}
	})

	t.Run("single file", func(t *testing.T) {
		res, err := ts.get(t, "./testdata/exit3/main.go").Run(ctx, Options{OutDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode == nil || *res.ExitCode != 3 || res.StopReason != "exit" || res.CPUProfile == "" {
			t.Fatalf("result = %+v, want exit 3 with profiles", res)
		}
	})

	t.Run("os.Exit", func(t *testing.T) {
		res, err := ts.get(t, "./testdata/exit3").Run(ctx, Options{OutDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode == nil || *res.ExitCode != 3 || res.Crashed || res.Partial {
			t.Fatalf("result = %+v, want exit 3, not crashed", res)
		}
		if n := checkCPU(t, res.CPUProfile); n == 0 {
			t.Errorf("CPU profile has no samples")
		}
		if _, _, err := readTrace(t, res.Trace); err != nil {
			t.Errorf("trace: %v", err)
		}
		if res.BlockProfile != "" {
			t.Errorf("block profile %s written although block profiling is off", res.BlockProfile)
		}
	})

	t.Run("panic", func(t *testing.T) {
		var stderr bytes.Buffer
		res, err := ts.get(t, "./testdata/panics").Run(ctx, Options{OutDir: t.TempDir(), Stderr: &stderr})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Crashed || !res.Partial || res.ExitCode == nil || *res.ExitCode != 2 {
			t.Fatalf("result = %+v, want crashed with exit 2", res)
		}
		if !strings.Contains(stderr.String(), "panic: boom") {
			t.Errorf("stderr = %q, want the panic passed through", stderr.String())
		}
		if res.CPUProfile != "" {
			t.Errorf("CPUProfile = %q after a panic; the profiler cannot have flushed", res.CPUProfile)
		}
		if res.Trace == "" {
			t.Fatalf("no partial trace after a panic; warnings %q", res.Warnings)
		}
		events, samples, err := readTrace(t, res.Trace)
		t.Logf("partial trace: %d events, %d CPU samples, then %v", events, samples, err)
		if events == 0 || samples == 0 {
			t.Errorf("partial trace has %d events, %d CPU samples; want some of each", events, samples)
		}
		if !containsWarning(res.Warnings, "crashed") {
			t.Errorf("warnings %q do not say the target crashed", res.Warnings)
		}
	})

	t.Run("timeout", func(t *testing.T) {
		var stdout bytes.Buffer
		res, err := ts.get(t, "./testdata/hang").Run(ctx, Options{OutDir: t.TempDir(), Stdout: &stdout, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if !res.TimedOut || !res.Partial || res.Crashed || res.ExitCode != nil || res.Signal != "interrupt" {
			t.Fatalf("result = %+v, want timed out, interrupted, not crashed", res)
		}
		if res.StopReason != "stopped" {
			t.Errorf("StopReason = %q, want stopped", res.StopReason)
		}
		if n := checkCPU(t, res.CPUProfile); n == 0 {
			t.Errorf("CPU profile has no samples")
		}
		if _, _, err := readTrace(t, res.Trace); err != nil {
			t.Errorf("trace after a graceful stop: %v", err)
		}
	})

	t.Run("timeout-kill", func(t *testing.T) {
		res, err := ts.get(t, "./testdata/hang").Run(ctx, Options{OutDir: t.TempDir(), Args: []string{"-ignore-int"},
			Timeout: 500 * time.Millisecond, Grace: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if !res.TimedOut || res.ExitCode != nil || res.Signal != "killed" || res.Crashed {
			t.Fatalf("result = %+v, want timed out and killed", res)
		}
		if res.CPUProfile == "" || res.Trace == "" {
			t.Errorf("profiles flushed before the kill are missing: %+v", res)
		}
	})

	t.Run("seconds", func(t *testing.T) {
		res, err := ts.get(t, "./testdata/hang").Run(ctx, Options{OutDir: t.TempDir(), Seconds: 400 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if res.StopReason != "seconds" || res.TimedOut || res.Partial || res.Crashed {
			t.Fatalf("result = %+v, want a complete collection stopped by Seconds", res)
		}
		if res.Wall < 400*time.Millisecond {
			t.Errorf("Wall = %v, want at least the 400ms window", res.Wall)
		}
		checkCPU(t, res.CPUProfile)
		if _, _, err := readTrace(t, res.Trace); err != nil {
			t.Errorf("trace: %v", err)
		}
	})

	t.Run("passthrough", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		env := append(os.Environ(), "FLAGS_TEST_VAR=kept")
		res, err := ts.get(t, "./testdata/flags").Run(ctx, Options{OutDir: t.TempDir(),
			Args:  []string{"-code", "7", "a b", "c"},
			Stdin: strings.NewReader("one\ntwo\n"), Stdout: &stdout, Stderr: &stderr, Env: env})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode == nil || *res.ExitCode != 7 {
			t.Fatalf("result = %+v, want exit 7", res)
		}
		want := `init ran; args=["a b" "c"]; lines=2; env=kept; hook vars=0` + "\n"
		if stdout.String() != want {
			t.Errorf("stdout = %q, want %q", stdout.String(), want)
		}
		if stderr.String() != "to stderr\n" {
			t.Errorf("stderr = %q", stderr.String())
		}
	})

	t.Run("trace-limit", func(t *testing.T) {
		const limit = 1 << 20
		res, err := ts.get(t, "./testdata/pingpong").Run(ctx, Options{OutDir: t.TempDir(), TraceLimit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if !containsWarning(res.Warnings, "size limit") || res.TraceWall <= 0 || res.TraceWall > res.Wall {
			t.Errorf("warnings %q, TraceWall %v, Wall %v: want the trace cut short", res.Warnings, res.TraceWall, res.Wall)
		}
		fi, err := os.Stat(res.Trace)
		if err != nil {
			t.Fatal(err)
		}
		// Stopping takes a moment, during which events keep coming, and
		// ends the generation with its tables: the overshoot is about
		// 1 MB at worst under -race. The full trace is about 7 MB.
		if fi.Size() > limit+3<<20 {
			t.Errorf("trace is %d bytes with a limit of %d", fi.Size(), limit)
		}
		if _, _, err := readTrace(t, res.Trace); err != nil {
			t.Errorf("limited trace does not parse: %v", err)
		}
		if res.Partial {
			t.Errorf("a size-limited trace is not a partial run: %+v", res)
		}
	})

	t.Run("trace-last", func(t *testing.T) {
		// The full trace of a million round trips is about 34 MB. The
		// recorder keeps whole generations, at least the last one or two,
		// so generations are made short to make its bound visible.
		const limit = 512 << 10
		env := append(os.Environ(), "GODEBUG=traceadvanceperiod=50000000")
		res, err := ts.get(t, "./testdata/pingpong").Run(ctx, Options{OutDir: t.TempDir(), TraceLimit: limit, TraceWindow: TraceLast,
			Args: []string{"-n", "1000000"}, Env: env})
		if err != nil {
			t.Fatal(err)
		}
		if res.StopReason != "exit" || res.Partial {
			t.Fatalf("result = %+v", res)
		}
		fi, err := os.Stat(res.Trace)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("flight recorder trace: %d bytes", fi.Size())
		if fi.Size() > 12<<20 {
			t.Errorf("flight recorder trace is %d bytes with a limit of %d", fi.Size(), limit)
		}
		if _, _, err := readTrace(t, res.Trace); err != nil {
			t.Errorf("flight recorder trace does not parse: %v", err)
		}
	})

	t.Run("signal", func(t *testing.T) {
		out := t.TempDir()
		pr, pw := io.Pipe()
		killed := make(chan error, 1)
		go func() {
			// Once the target runs, its pid is in meta.json: kill it
			// from outside, as a user or an orchestrator would.
			sc := bufio.NewScanner(pr)
			if !sc.Scan() {
				killed <- errors.New("no output from target")
				return
			}
			go io.Copy(io.Discard, pr)
			data, err := os.ReadFile(filepath.Join(out, MetaFile))
			if err != nil {
				killed <- err
				return
			}
			var m hookMeta
			if err := json.Unmarshal(data, &m); err != nil {
				killed <- err
				return
			}
			p, err := os.FindProcess(m.PID)
			if err == nil {
				err = p.Signal(syscall.SIGTERM)
			}
			killed <- err
		}()
		res, err := ts.get(t, "./testdata/hang").Run(ctx, Options{OutDir: out, Stdout: pw})
		pw.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := <-killed; err != nil {
			t.Fatal(err)
		}
		if !res.Crashed || res.Signal != "terminated" || res.ExitCode != nil || !containsWarning(res.Warnings, "killed by signal terminated") {
			t.Fatalf("result = %+v, want crashed by SIGTERM", res)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		pr, pw := io.Pipe()
		go func() {
			// Cancel once the target says it is running: no sleeps.
			sc := bufio.NewScanner(pr)
			if sc.Scan() {
				cancel()
			}
			io.Copy(io.Discard, pr)
		}()
		res, err := ts.get(t, "./testdata/hang").Run(cctx, Options{OutDir: t.TempDir(), Stdout: pw})
		pw.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !res.Canceled || !res.Partial || res.StopReason != "stopped" {
			t.Fatalf("result = %+v, want canceled with flushed profiles", res)
		}
	})
}

func containsWarning(ws []string, sub string) bool {
	return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, sub) })
}

func TestBuildErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		o     Options
		want  string // in the one-line message
		inOut string // in UserError.Output
	}{
		{"not main", Options{Package: "./testdata/lib"}, "./testdata/lib is not a main package (use --bench to profile a library's benchmarks)", ""},
		{"no such path", Options{Package: "./testdata/nope"}, "no such package ./testdata/nope", ""},
		{"pattern", Options{Package: "./...", Dir: "testdata"}, "./... matches more than one package", ""},
		{"pattern matching nothing", Options{Package: "./testdata/..."}, "./testdata/... matches no packages", ""},
		{"does not compile", Options{Package: "./testdata/broken"}, "./testdata/broken does not compile: testdata/broken/main.go:5:2: undefined: undefinedFunction", "undefined: undefinedFunction"},
		{"raw -o", Options{Package: "./testdata/ret", BuildFlags: []string{"-o", "x"}}, "build flag -o is not allowed", ""},
		{"raw -ldflags", Options{Package: "./testdata/ret", BuildFlags: []string{"-ldflags=-s"}}, "pass -ldflags through its own option", ""},
		{"raw -overlay missing", Options{Package: "./testdata/ret", BuildFlags: []string{"-overlay", "nope.json"}}, "cannot load ./testdata/ret", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.o.Dir == "" {
				tc.o.Dir = "."
			}
			tg, err := Build(ctx, tc.o)
			if err == nil {
				tg.Close()
				t.Fatal("Build succeeded, want an error")
			}
			var ue *UserError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v (%T) is not a *UserError", err, err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error = %q, want it to contain %q", msg, tc.want)
			}
			if !strings.Contains(ue.Output, tc.inOut) {
				t.Errorf("Output = %q, want it to contain %q", ue.Output, tc.inOut)
			}
		})
	}
}

// TestBuildFlags checks that the user's -ldflags and -tags reach the build
// together with the hook's linker flag.
func TestBuildFlags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/flagged\n\ngo 1.26\n")
	write("main.go", "package main\n\nimport \"fmt\"\n\nvar version = \"dev\"\n\nfunc main() { fmt.Println(version, tagged) }\n")
	write("tag_on.go", "//go:build special\n\npackage main\n\nconst tagged = true\n")
	write("tag_off.go", "//go:build !special\n\npackage main\n\nconst tagged = false\n")
	ctx := context.Background()
	var stdout bytes.Buffer
	res, err := Run(ctx, Options{Dir: dir, Package: ".", Tags: "special", LDFlags: "-X 'main.version=v1 2'",
		OutDir: t.TempDir(), Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	if got := stdout.String(); got != "v1 2 true\n" {
		t.Errorf("stdout = %q, want the -X value and the tag applied", got)
	}
	if res.ModulePath != "example.com/flagged" || res.StopReason != "exit" {
		t.Errorf("result = %+v", res)
	}
}

// TestFallbackHook builds without the runtime exit hook, as when the
// linkname stops working, and checks the run still yields a usable trace
// and says what is missing.
func TestFallbackHook(t *testing.T) {
	o := Options{Dir: ".", Package: "./testdata/hang"}
	tg, err := build(context.Background(), &o, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if tg.ExitHook {
		t.Fatal("ExitHook set for the fallback build")
	}
	// A stop request still flushes everything.
	res, err := tg.Run(context.Background(), Options{OutDir: t.TempDir(), Seconds: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.StopReason != "seconds" || res.CPUProfile == "" {
		t.Fatalf("result = %+v, want profiles flushed after Seconds", res)
	}
	if _, _, err := readTrace(t, res.Trace); err != nil {
		t.Errorf("trace: %v", err)
	}
}

func TestHookVariant(t *testing.T) {
	full, fallback := hookVariant("main", true), hookVariant("lib", false)
	if !strings.Contains(fallback, "\npackage lib\n") {
		t.Error("package clause not replaced")
	}
	if !strings.Contains(full, "go:linkname") {
		t.Error("full hook lacks the exit hook linkname")
	}
	if strings.Contains(fallback, "//go:linkname") || strings.Contains(fallback, "advisorHookAddExitHook") {
		t.Error("fallback hook still refers to the exit hook")
	}
	if formatted, err := format.Source([]byte(full)); err != nil || string(formatted) != full {
		t.Errorf("hook.go.txt is not gofmt-formatted Go (err %v)", err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "fallback.go", fallback, 0); err != nil {
		t.Errorf("fallback hook does not parse: %v", err)
	}
	// Every top-level name must carry the prefix so it cannot collide
	// with the user's code.
	f, err := parser.ParseFile(token.NewFileSet(), "hook.go", full, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					names = append(names, spec.Name.Name)
				case *ast.ValueSpec:
					for _, n := range spec.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	for _, name := range names {
		if name != "_" && !strings.HasPrefix(name, HookFuncPrefix) {
			t.Errorf("hook declares %s without the %s prefix", name, HookFuncPrefix)
		}
	}
}
