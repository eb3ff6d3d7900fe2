// Package tracetest records execution traces of small test programs for the
// tests of analyze and analyze/critpath: it builds a program with a
// stand-in trace hook added by a build overlay (as package profile adds the
// real one), runs it and returns the trace it wrote. The hook reads
// $CRITPATH_TRACE (the file to write; unset: run without tracing).
package tracetest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Recording is one run of a test program.
type Recording struct {
	Trace  []byte        // the trace it wrote (nil for an untraced run)
	Wall   time.Duration // how long the run took, from start to exit
	Output []byte        // its stdout and stderr
}

// Run builds the main package in dir with the file hook added to it as
// 0000_hook.go, runs it with GOMAXPROCS=2 and env added to its
// environment, and returns what it wrote. With traced, $CRITPATH_TRACE
// names a temporary file for the trace; without, it is unset. It skips the
// test under -short: it builds and runs a program.
func Run(tb testing.TB, dir, hook string, traced bool, env ...string) Recording {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs a program")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if hook, err = filepath.Abs(hook); err != nil {
		tb.Fatal(err)
	}
	tmp := tb.TempDir()
	ov, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "0000_hook.go"): hook}})
	if err != nil {
		tb.Fatal(err)
	}
	overlay := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlay, ov, 0o644); err != nil {
		tb.Fatal(err)
	}
	name := filepath.Base(dir)
	bin := filepath.Join(tmp, name)
	// The go command of the toolchain running the test, not whichever one
	// is first on $PATH.
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-overlay", overlay, "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building %s: %v\n%s", name, err, out)
	}
	run := exec.Command(bin)
	run.Env = append(withoutTrace(os.Environ()), "GOMAXPROCS=2")
	out := filepath.Join(tmp, name+".trace")
	if traced {
		run.Env = append(run.Env, "CRITPATH_TRACE="+out)
	}
	run.Env = append(run.Env, env...)
	start := time.Now()
	b, err := run.CombinedOutput()
	rec := Recording{Wall: time.Since(start), Output: b}
	if err != nil {
		tb.Fatalf("running %s: %v\n%s", name, err, b)
	}
	if traced {
		if rec.Trace, err = os.ReadFile(out); err != nil {
			tb.Fatal(err)
		}
	}
	return rec
}

// withoutTrace drops $CRITPATH_TRACE from env, so that an untraced run is
// untraced whatever the test's own environment holds.
func withoutTrace(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "CRITPATH_TRACE=") {
			out = append(out, kv)
		}
	}
	return out
}

// Cache keeps the traced runs of Record for the life of the test binary:
// several tests and benchmarks read the same traces. The zero value is
// ready to use.
type Cache struct {
	mu sync.Mutex
	m  map[string]Recording
}

// Record returns the traced Run of dir with hook and env, running it the
// first time only.
func (c *Cache) Record(tb testing.TB, dir, hook string, env ...string) Recording {
	tb.Helper()
	key := dir + "\x00" + hook + "\x00" + strings.Join(env, "\x00")
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.m[key]; ok {
		return r
	}
	r := Run(tb, dir, hook, true, env...)
	if c.m == nil {
		c.m = make(map[string]Recording)
	}
	c.m[key] = r
	return r
}
