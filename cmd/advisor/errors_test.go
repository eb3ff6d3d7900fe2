package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"
)

// runAdvisor runs the CLI in-process and returns its exit code and streams.
func runAdvisor(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// TestBadInput checks that every kind of bad input gives exit code 2 and a
// clear message, never a panic or a Go stack trace.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.pprof")
	os.WriteFile(empty, nil, 0o644)
	corrupt := filepath.Join(dir, "corrupt.pprof")
	os.WriteFile(corrupt, []byte("this is not a profile\x00\x01\x02"), 0o644)
	corruptTrace := filepath.Join(dir, "corrupt.trace")
	os.WriteFile(corruptTrace, []byte("go 1.26 trace\x00\x00\x00garbage"), 0o644)

	// A port nobody listens on: bind, note it, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + l.Addr().String()
	l.Close()

	for _, tc := range []struct {
		name string
		args []string
		want string // substring of stderr
	}{
		{"no such path", []string{"./testdata/targets/nope"}, "nope"},
		{"not main", []string{"./testdata/targets/lib"}, "--bench"},
		{"does not compile", []string{"./testdata/targets/broken"}, "does not compile"},
		{"empty profile", []string{"--profile", empty}, "empty"},
		{"corrupt profile", []string{"--profile", corrupt}, "corrupt.pprof"},
		{"corrupt trace", []string{"--trace", corruptTrace}, "corrupt.trace"},
		{"unreachable --from", []string{"--from", deadURL, "--seconds", "1s"}, "127.0.0.1"},
		{"unknown flag", []string{"--frobnicate", "./x"}, "frobnicate"},
		{"bad format", []string{"--format", "xml", "./x"}, "xml"},
		{"args without --", []string{"./a", "./b"}, "--"},
		{"target flags without --", []string{"./testdata/targets/crash", "-n", "3"}, "advisor ./testdata/targets/crash -- -n 3"},
		{"too few verify runs", []string{"--verify", "--verify-runs", "2", "./x"}, "--verify-runs"},
		{"html into a missing directory", []string{"--html", "/nonexistent-dir/r.html", "./x"}, "/nonexistent-dir"},
		{"output into a missing directory", []string{"-o", "/nonexistent-dir/r.txt", "./x"}, "/nonexistent-dir"},
		{"negative timeout", []string{"--timeout", "-1s", "./x"}, "--timeout"},
		{"bad verify budget", []string{"--verify", "--verify-budget", "0s", "./x"}, "--verify-budget"},
		{"--top 0", []string{"--top", "0", "./x"}, "--top"},
		{"negative --top", []string{"--top", "-3", "./x"}, "--top"},
		{"negative --seconds", []string{"--seconds", "-5s", "./x"}, "--seconds"},
		{"--trace-limit 0", []string{"--trace-limit", "0", "./x"}, "--trace-limit"},
		{"--seconds not a duration", []string{"--seconds", "soon", "./x"}, "number of seconds"},
		{"--seconds as a number reaches --from", []string{"--from", deadURL, "--seconds", "1"}, "127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runAdvisor(t, tc.args...)
			if code != exitError {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, exitError, stderr)
			}
			first := strings.SplitN(strings.TrimSpace(stderr), "\n", 2)[0]
			if !strings.HasPrefix(first, "advisor: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr = %q, want a line starting with \"advisor: \" mentioning %q", stderr, tc.want)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") {
				t.Errorf("stderr has a stack trace:\n%s", stderr)
			}
		})
	}
}

// TestCompileErrorShowsCompiler checks that the compiler's own message
// follows the one-line summary.
func TestCompileErrorShowsCompiler(t *testing.T) {
	_, _, stderr := runAdvisor(t, "./testdata/targets/broken")
	if !strings.Contains(stderr, "main.go:5") {
		t.Errorf("stderr lacks the compiler's error position:\n%s", stderr)
	}
}

// TestLoadErrorNotRepeated checks that a one-line go list error (a mistyped
// verb or package) is said once, not again as the go command's output.
func TestLoadErrorNotRepeated(t *testing.T) {
	code, _, stderr := runAdvisor(t, "nosuchverb")
	if code != exitError || !strings.Contains(stderr, "nosuchverb") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one:\n%s", len(lines), stderr)
	}
}

// TestPartialRuns checks that a target that crashes or hangs still gives a
// report of what was measured, and exit code 2 with a one-line reason.
func TestPartialRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real programs")
	}
	for _, tc := range []struct {
		name    string
		args    []string
		want    string
		wantErr string // in the report's errors: a JSON reader must see the run was partial
	}{
		{"crash", []string{"--json", "./testdata/targets/crash"}, "crashed", "crashed"},
		{"hang", []string{"--json", "--timeout", "1500ms", "./testdata/targets/hang"}, "--timeout", "--timeout 1.5s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runAdvisor(t, tc.args...)
			if code != exitError || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if err := docs.ValidateReport([]byte(stdout)); err != nil {
				t.Fatalf("partial report invalid: %v\n%s", err, stdout)
			}
			var rep report.Report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Hotpaths) == 0 || rep.Summary == nil || rep.Summary.Class != report.ClassCPU {
				t.Errorf("partial report has no CPU hot path: %+v", rep.Summary)
			}
			if !slices.ContainsFunc(rep.Errors, func(e string) bool { return strings.Contains(e, tc.wantErr) }) {
				t.Errorf("report errors %q do not mention %q", rep.Errors, tc.wantErr)
			}
		})
	}
}

// TestInterruptedRun: Ctrl-C (a cancelled context) stops the target; the
// partial report is printed, says it is partial, and the exit code is 2 as
// for a timeout.
func TestInterruptedRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real program")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The target's stdout goes to stderr with --json: "ready" means it runs.
	stderr := &cancelOnWrite{marker: "ready", cancel: cancel}
	var stdout bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: stderr, getenv: func(string) string { return "" }}
	code := run(ctx, e, []string{"--json", "--all", "./testdata/targets/ready"})
	if code != exitError || !strings.Contains(stderr.buf.String(), "advisor: interrupted") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.buf.String())
	}
	var rep report.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if !slices.ContainsFunc(rep.Errors, func(e string) bool { return strings.Contains(e, "interrupted") }) {
		t.Errorf("report errors %q do not say the run was interrupted", rep.Errors)
	}
	// The rules ran beside the target, so an interrupted run has them
	// (without them the advice would change kind), and nothing was cut
	// by the cancelled context.
	if slices.ContainsFunc(rep.Errors, func(e string) bool { return strings.Contains(e, "context canceled") }) {
		t.Errorf("report errors %q: work was cut by the interrupt", rep.Errors)
	}
	if !slices.ContainsFunc(rep.Findings, func(f report.Finding) bool { return f.Rule == "stringconcat" }) {
		t.Errorf("findings %+v: the rules' results are missing from the interrupted run", rep.Findings)
	}
}

// TestBenchMode profiles a library's benchmark through go test.
func TestBenchMode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	code, stdout, stderr := runAdvisor(t, "--json", "--bench", "Double", "--benchtime", "300ms", "./testdata/targets/lib")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	found := false
	for _, h := range rep.Hotpaths {
		found = found || strings.Contains(h.Function, "Double")
	}
	if !found {
		t.Errorf("no hot path in the benchmark: %+v", rep.Hotpaths)
	}
}

// TestCutRuns: a run cut by --timeout has no single end. A program that
// serves nothing gets the critical path of what ran (fib: main.fib, cpu);
// a server is attributed per request (idleserver served none: idle, none).
func TestCutRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real programs")
	}
	for _, tc := range []struct {
		dir, accounting, class, top string
		// first lists the acceptable first recommendations: a loaded
		// machine can leave fib's 1.5 s too few CPU samples for advice.
		first []string
		// args make the target outlast the timeout on any machine (fib's
		// default three rounds end within 1.5 s on an idle one).
		args []string
	}{
		{"fib", report.AccountingCriticalPath, report.ClassCPU, "main.fib", []string{report.KindCache, report.KindNone}, []string{"-rounds", "1000"}},
		{"idleserver", report.AccountingRequests, report.ClassIdle, "", []string{report.KindNone}, nil},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			args := append([]string{"--json", "--timeout", "1500ms", "../../testdata/" + tc.dir, "--"}, tc.args...)
			code, stdout, stderr := runAdvisor(t, args...)
			if code != exitError || !strings.Contains(stderr, "--timeout") {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if err := docs.ValidateReport([]byte(stdout)); err != nil {
				t.Fatalf("partial report invalid: %v\n%s", err, stdout)
			}
			var rep report.Report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Summary == nil || rep.Summary.Accounting != tc.accounting || rep.Summary.Class != tc.class {
				t.Fatalf("summary %+v: want accounting %s, class %s", rep.Summary, tc.accounting, tc.class)
			}
			top := ""
			if len(rep.Hotpaths) > 0 {
				top = rep.Hotpaths[0].Function
			}
			if top != tc.top {
				t.Errorf("top hot path %q, want %q", top, tc.top)
			}
			if len(rep.Recommendations) == 0 || !slices.Contains(tc.first, rep.Recommendations[0].Kind) {
				t.Errorf("recommendations %s, want one of %v first", kindsOf(&rep), tc.first)
			}
		})
	}
}
