package profile

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
)

// TestHookLanguageVersions: the hook is compiled as part of the target's main
// package, under the language version its go.mod declares.
func TestHookLanguageVersions(t *testing.T) {
	tg, err := Build(context.Background(), Options{Dir: "./testdata/go112", Package: "."})
	if err != nil {
		t.Fatalf("a go 1.12 module: %v", err)
	}
	defer tg.Close()
	var stdout bytes.Buffer
	res, err := tg.Run(context.Background(), Options{Dir: "./testdata/go112", OutDir: t.TempDir(), Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode == nil || *res.ExitCode != 0 || res.Partial || !strings.HasPrefix(stdout.String(), "go112 ok") {
		t.Fatalf("result %+v, stdout %q; want a clean run", res, stdout.String())
	}
}

// TestHookCPURate: profiled runs sample at CPUProfileHz, and the runtime's
// complaint about changing the rate never reaches the target's stderr.
func TestHookCPURate(t *testing.T) {
	ts := newTargets(t)
	var stderr bytes.Buffer
	res, err := ts.get(t, "./testdata/cpubound").Run(context.Background(), Options{OutDir: t.TempDir(), Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "cpu profile rate") {
		t.Errorf("stderr = %q: the rate warning leaked into the target's output", stderr.String())
	}
	f, err := os.Open(res.CPUProfile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(1e9 / CPUProfileHz); p.Period != want {
		t.Errorf("profile period %d ns, want %d (%d Hz)", p.Period, want, CPUProfileHz)
	}
}

// TestSyscallExit: syscall.Exit skips exit hooks; that is an exit with the
// program's status, not a crash.
func TestSyscallExit(t *testing.T) {
	ts := newTargets(t)
	res, err := ts.get(t, "./testdata/sysexit").Run(context.Background(), Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Crashed || res.ExitCode == nil || *res.ExitCode != 0 || !res.SkippedExitHooks || !res.Partial {
		t.Fatalf("result %+v; want exit 0, not crashed, exit hooks skipped, partial", res)
	}
	if !containsWarning(res.Warnings, "syscall.Exit") {
		t.Errorf("warnings %q do not name syscall.Exit", res.Warnings)
	}
}

// TestOwnProfiling: a target that starts its own CPU profile or trace (a
// flag of its own) runs as it would without advisor; the hook steps aside.
func TestOwnProfiling(t *testing.T) {
	ts := newTargets(t)
	for _, flag := range []string{"-cpuprofile", "--trace"} {
		t.Run(flag, func(t *testing.T) {
			own := t.TempDir() + "/own.out"
			var stderr bytes.Buffer
			res, err := ts.get(t, "./testdata/ownprof").Run(context.Background(), Options{OutDir: t.TempDir(), Args: []string{flag + "=" + own}, Stderr: &stderr})
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode == nil || *res.ExitCode != 0 {
				t.Fatalf("exit %v, stderr %q: the target's own profiler failed to start", res.ExitCode, stderr.String())
			}
			if !containsWarning(res.Warnings, "stepped aside") {
				t.Errorf("warnings %q do not say the hook stepped aside", res.Warnings)
			}
			if fi, err := os.Stat(own); err != nil || fi.Size() == 0 {
				t.Errorf("the target's own profile: %v", err)
			}
		})
	}
}

func TestOwnProfilingFlags(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		cpu, trace string
	}{
		{[]string{"-n", "3"}, "", ""},
		{[]string{"-cpuprofile", "x"}, "-cpuprofile", ""},
		{[]string{"--cpu-profile=x", "-trace=t.out"}, "-cpu-profile", "-trace"},
		{[]string{"-exectrace", "t"}, "", "-exectrace"},
		{[]string{"-tracing", "-cpu", "4"}, "", ""},
		{[]string{"x", "--", "-cpuprofile"}, "", ""},
	} {
		cpu, trace := ownProfilingFlags(tc.args)
		if cpu != tc.cpu || trace != tc.trace {
			t.Errorf("ownProfilingFlags(%q) = %q, %q; want %q, %q", tc.args, cpu, trace, tc.cpu, tc.trace)
		}
	}
}
