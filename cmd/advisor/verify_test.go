package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/measure"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/verify"
	"github.com/advisor-dev/advisor/docs"
	advprofile "github.com/advisor-dev/advisor/profile"
)

// treeHash hashes every file under dir (names and contents).
func treeHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		h.Write([]byte(path + "\x00"))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func TestVerifyFlags(t *testing.T) {
	var f profileFlags
	fs := newProfileFlagSet(&f)
	if err := fs.Parse([]string{"--fix", "--dry-run", "--verify-budget", "10s", "--verify-runs", "5", "./x"}); err != nil {
		t.Fatal(err)
	}
	if !f.fix || !f.dryRun || f.verify || f.verifyBudget != 10*time.Second || f.verifyRuns != 5 {
		t.Errorf("parsed %+v", f)
	}
	var g profileFlags
	if err := newProfileFlagSet(&g).Parse(nil); err != nil || g.verifyBudget != defaultVerifyBudget || g.verifyRuns != defaultVerifyRuns {
		t.Errorf("defaults: budget %v runs %d", g.verifyBudget, g.verifyRuns)
	}
	var usage bytes.Buffer
	profileUsage(&usage, fs)
	if !strings.Contains(usage.String(), "Verifying rewrites") || !strings.Contains(usage.String(), "--verify-budget") {
		t.Errorf("usage lacks the verification group:\n%s", usage.String())
	}
}

func TestVerifyImportedProfile(t *testing.T) {
	rep := &report.Report{}
	f := profileFlags{cpuFile: "cpu.pprof", verify: true}
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out}
	verifyAndFix(context.Background(), e, &measure.Session{Report: rep, Result: &advprofile.Result{}}, "", nil, &f, func(string) {})
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "only a package run by advisor") {
		t.Errorf("errors %v", rep.Errors)
	}
	rep = &report.Report{}
	f = profileFlags{verify: true, verifyRuns: 1, verifyBudget: time.Minute}
	verifyAndFix(context.Background(), e, &measure.Session{Report: rep, Result: &advprofile.Result{}}, "./x", nil, &f, func(string) {})
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "--verify-runs must be at least 6") {
		t.Errorf("errors %v", rep.Errors)
	}
}

// TestVerifyCommandLine runs advisor --verify on the fetch demo end to end:
// profile, advise, verify; the JSON report carries the measurement and the
// demo's files are untouched. Whether eight goroutines beat one on a
// loaded machine is not asserted: that they built, passed the tests and
// were measured with an interval is.
func TestVerifyCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("profiles, builds and benchmarks a demo")
	}
	demo := filepath.Join("..", "..", "testdata", "fetch")
	before := treeHash(t, demo)
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	argv := []string{"--json", "--verify", "--verify-runs", "6", "--verify-budget", "2m", "--progress", "../../testdata/fetch", "--", "-n", "16", "-delay", "20ms"}
	if code := run(context.Background(), e, argv); code != exitOK {
		t.Fatalf("advisor %s: exit %d\n%s", strings.Join(argv, " "), code, stderr.String())
	}
	if treeHash(t, demo) != before {
		t.Error("advisor --verify changed the demo's files")
	}
	if err := docs.ValidateReport(stdout.Bytes()); err != nil {
		t.Fatalf("report does not validate: %v", err)
	}
	var rep report.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Recommendations) == 0 || rep.Recommendations[0].Kind != report.KindGoroutines {
		t.Fatalf("recommendations %+v", rep.Recommendations)
	}
	v := rep.Recommendations[0].Verified
	if v == nil || v.Tests != "pass" || v.Runs < benchstat.VerifyMinRuns || v.CILow <= 0 || v.CIHigh < v.CILow {
		t.Errorf("goroutines not measured with passing tests and an interval: %+v; errors %v", v, rep.Errors)
	}
	if !strings.Contains(stderr.String(), "left)") {
		t.Errorf("no progress with the remaining budget on stderr:\n%s", stderr.String())
	}
}

// fakeVerify replaces verify.Run for one test.
func fakeVerify(t *testing.T, fake func(ctx context.Context, rep *report.Report, o verify.Options) (verify.Result, error)) {
	t.Helper()
	saved := verifyRun
	verifyRun = fake
	t.Cleanup(func() { verifyRun = saved })
}

// runFibVerify runs advisor --verify (plus extra flags) on a short fib
// with verification replaced by fake, and returns the exit code and
// stderr.
func runFibVerify(t *testing.T, ctx context.Context, extra ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	argv := append(append([]string{"--json", "--no-lint", "--verify"}, extra...), "../../testdata/fib", "--", "-n", "20", "-rounds", "1")
	code := run(ctx, e, argv)
	var rep report.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Errorf("no report on stdout (%v):\n%s", err, stdout.String())
	}
	return code, stderr.String()
}

// TestVerifyInterrupted: Ctrl-C during --verify exits 2, says it was
// interrupted and does not blame the budget.
func TestVerifyInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("profiles a demo")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fakeVerify(t, func(ctx context.Context, rep *report.Report, o verify.Options) (verify.Result, error) {
		cancel() // the user presses Ctrl-C while the rewrites are measured
		return verify.Result{Interrupted: true}, nil
	})
	code, stderr := runFibVerify(t, ctx)
	if code != exitError || !strings.Contains(stderr, "interrupted during --verify") || strings.Contains(stderr, "budget") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2, interrupted, no word of the budget", code, stderr)
	}
}

// TestVerifyFixRefused: a --fix that refuses a file changed during
// --verify exits 2 with the reason.
func TestVerifyFixRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("profiles a demo")
	}
	fakeVerify(t, func(ctx context.Context, rep *report.Report, o verify.Options) (verify.Result, error) {
		if !o.Fix {
			t.Error("--fix did not ask for the fix")
		}
		return verify.Result{}, fmt.Errorf("nothing written (run advisor --fix again): main.go %w", verify.ErrChanged)
	})
	code, stderr := runFibVerify(t, context.Background(), "--fix")
	if code != exitError || !strings.Contains(stderr, "--fix: nothing written") || !strings.Contains(stderr, "changed since it was analyzed") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and the refusal", code, stderr)
	}
}
