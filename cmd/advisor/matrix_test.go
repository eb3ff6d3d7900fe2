package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"
)

// The bad-input matrix runs the real advisor binary, as a user or a CI
// script does, over inputs that must fail cleanly: the documented exit code,
// one "advisor: " line on stderr and never a Go stack trace of advisor's
// own, one advisor/v1 document under --json even when the run failed, the
// partial report the README promises for a timed-out or crashed target, no
// temporary directory left behind and the user's tree untouched.

// matrixCase is one bad input.
type matrixCase struct {
	name string
	// tree is the module the command runs in: "targets" (a copy of
	// testdata/targets), "lintmix" (a copy of testdata/targets/lintmix),
	// "git" (a git repository without benchmarks) or "" (an empty dir).
	tree string
	// args are advisor's arguments; setup, when set, returns them instead
	// (it may start servers or write files, in dir).
	args  []string
	setup func(t *testing.T, dir string) []string
	// stdin, when set, returns the command's stdin (default /dev/null).
	stdin func(t *testing.T) *os.File
	code  int
	// msg must appear in advisor's own one-line error (code 2).
	msg string
	// jsonDoc: stdout is one advisor/v1 document (with errors when the
	// run failed); partial: it also has hot paths (the partial run).
	jsonDoc, partial bool
	// ciDoc: stdout is one advisor-ci/v1 document with errors.
	ciDoc bool
	// targetStack: the target's own crash output passes through stderr.
	targetStack bool
	// headOne closes stdout after its first line (advisor ... | head -1).
	headOne bool
	// check, when set, checks more.
	check func(t *testing.T, stdout, stderr string)
}

func TestMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds advisor and runs real programs")
	}
	bin := matrixBuild(t)
	for _, tc := range matrixCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			matrixRun(t, bin, tc)
		})
	}
}

func matrixCases() []matrixCase {
	var cases []matrixCase
	add := func(c ...matrixCase) { cases = append(cases, c...) }

	// Targets that do not build or run.
	add(
		matrixCase{name: "non-main package", tree: "targets", args: []string{"./lib"}, code: exitError, msg: "not a main package"},
		matrixCase{name: "compile error", tree: "targets", args: []string{"./broken"}, code: exitError, msg: "does not compile",
			check: wantIn("stderr", "broken/main.go:5")},
		matrixCase{name: "compile error --json", tree: "targets", args: []string{"--json", "./broken"}, code: exitError, msg: "does not compile", jsonDoc: true},
		matrixCase{name: "missing path", tree: "targets", args: []string{"./nope"}, code: exitError, msg: "no such package"},
		matrixCase{name: "missing path --json", tree: "targets", args: []string{"--json", "./nope"}, code: exitError, msg: "no such package", jsonDoc: true},
		matrixCase{name: "panicking target", tree: "targets", args: []string{"--json", "./crash"}, code: exitError, msg: "crashed",
			jsonDoc: true, partial: true, targetStack: true},
		matrixCase{name: "nil dereference", tree: "targets", args: []string{"./nilderef"}, code: exitError, msg: "crashed",
			targetStack: true, check: wantIn("stdout", "Hot paths")},
		matrixCase{name: "killed by SIGSEGV at once", tree: "targets", args: []string{"--json", "./killself"}, code: exitError,
			msg: "crashed before anything could be profiled", jsonDoc: true, targetStack: true},
		matrixCase{name: "hanging target", tree: "targets", args: []string{"--json", "--timeout", "2s", "./hang"}, code: exitError,
			msg: "did not finish within --timeout 2s", jsonDoc: true, partial: true},
		matrixCase{name: "signal-trapping target", tree: "targets", args: []string{"--json", "--timeout", "2s", "./trap"}, code: exitError,
			msg: "did not finish within --timeout 2s", jsonDoc: true, partial: true},
		matrixCase{name: "os.Exit(3)", tree: "targets", args: []string{"--json", "./exit3"}, code: exitOK, jsonDoc: true,
			check: func(t *testing.T, stdout, _ string) {
				var rep report.Report
				if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Target == nil || rep.Target.ExitCode == nil || *rep.Target.ExitCode != 3 {
					t.Errorf("target.exit_code is not 3 (%v): %s", err, stdout)
				}
			}},
		matrixCase{name: "stdin closed", tree: "targets", args: []string{"./stdin"}, code: exitOK,
			stdin: func(t *testing.T) *os.File {
				r, w, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				w.Close()
				t.Cleanup(func() { r.Close() })
				return r
			},
			check: wantIn("stdout", "read 0 <nil>")},
		matrixCase{name: "stdin empty", tree: "targets", args: []string{"./stdin"}, code: exitOK, check: wantIn("stdout", "read 0 <nil>")},
		matrixCase{name: "stdout closed after one line", tree: "targets", args: []string{"./oneline"}, headOne: true,
			code: exitError, msg: "broken pipe"},
		matrixCase{name: "--http on a busy port", tree: "targets", code: exitError, msg: "address already in use",
			setup: func(t *testing.T, _ string) []string {
				l, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { l.Close() })
				return []string{"--http", l.Addr().String(), "./oneline"}
			},
			// Refused before the run: the target never printed.
			check: func(t *testing.T, stdout, _ string) {
				if strings.Contains(stdout, "first line") {
					t.Errorf("the target ran before --http failed:\n%s", stdout)
				}
			}},
	)

	// Command lines refused before anything runs still answer --json with
	// one document, whichever side of the bad flag --json is on.
	add(
		matrixCase{name: "unknown flag --json", args: []string{"--bogus", "--json", "./x"}, code: exitError, msg: "unknown flag: --bogus", jsonDoc: true},
		matrixCase{name: "no package --json", args: []string{"--json"}, code: exitError, msg: "no package to profile", jsonDoc: true},
		matrixCase{name: "--top 0 --json", args: []string{"--json", "--top", "0", "./x"}, code: exitError, msg: "--top must be at least 1", jsonDoc: true},
		matrixCase{name: "lint unknown flag --json", args: []string{"lint", "--bogus", "--format=json", "./..."}, code: exitError, msg: "unknown flag: --bogus", jsonDoc: true},
		matrixCase{name: "ci unknown flag --format json", args: []string{"ci", "--format", "json", "--bogus"}, code: exitError, msg: "unknown flag: --bogus", ciDoc: true},
		matrixCase{name: "ci bad --base --format json", tree: "git", args: []string{"ci", "--format", "json", "--base", "no-such-ref", "./..."}, code: exitError, msg: `unknown git revision "no-such-ref"`, ciDoc: true},
		matrixCase{name: "compare one file --format json", args: []string{"compare", "--format", "json", "old.txt"}, code: exitError, msg: "want two benchmark files", ciDoc: true},
	)

	// Profile files that are not profiles.
	for _, f := range []struct{ name, msg string }{
		{"empty", "empty"}, {"truncated.pprof", "truncated.pprof"}, {"random.bin", "random.bin"},
		{"image.png", "image.png"}, {"doc.json", "doc.json"},
	} {
		for _, flag := range []string{"--profile", "--trace"} {
			args := []string{flag, f.name}
			jsonDoc := flag == "--trace" // each file once as text, once as JSON
			if jsonDoc {
				args = append([]string{"--json"}, args...)
			}
			add(matrixCase{name: flag + " " + f.name, setup: matrixFiles(args), code: exitError, msg: f.msg, jsonDoc: jsonDoc})
		}
	}

	// --from a server that is not there or not a pprof endpoint.
	add(
		matrixCase{name: "--from a closed port", code: exitError, msg: "cannot reach", jsonDoc: true,
			setup: func(t *testing.T, _ string) []string {
				l, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				url := "http://" + l.Addr().String()
				l.Close()
				return []string{"--json", "--from", url, "--seconds", "1"}
			}},
		matrixCase{name: "--from returning 404", code: exitError, msg: "404", jsonDoc: true,
			setup: matrixServer(true, http.NotFound)},
		matrixCase{name: "--from returning HTML", code: exitError, msg: "did not return a pprof profile",
			setup: matrixServer(false, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, "<!doctype html><html><body><h1>Welcome</h1></body></html>")
			})},
	)

	// advisor compare over benchmark files that are not.
	for _, f := range []struct{ name, content, msg string }{
		{"bad-value.txt", "BenchmarkX-2 \t 100 \t abc ns/op\n", "bad-value.txt:1"},
		{"no-unit.txt", "goos: linux\nBenchmarkX-2 \t 100 \t 12\n", "no-unit.txt:2"},
		{"empty.txt", "", "no benchmark results"},
		{"binary.txt", "\x00\x01\xff\xfe garbage\n", "no benchmark results"},
	} {
		add(matrixCase{name: "compare " + f.name, code: exitError, msg: f.msg,
			setup: func(t *testing.T, dir string) []string {
				matrixWrite(t, filepath.Join(dir, f.name), f.content)
				return []string{"compare", f.name, f.name}
			}})
	}
	add(matrixCase{name: "compare a missing file", args: []string{"compare", "old.txt", "new.txt"}, code: exitError, msg: "old.txt"})

	// advisor ci in a repository without benchmarks, or against a bad ref.
	add(
		matrixCase{name: "ci without benchmarks", tree: "git", args: []string{"ci", "--base", "HEAD", "./..."}, code: exitError, msg: "no benchmark"},
		matrixCase{name: "ci bad --base", tree: "git", args: []string{"ci", "--base", "no-such-ref", "./..."}, code: exitError, msg: `unknown git revision "no-such-ref"`},
	)

	// advisor lint with one package of three that does not type-check.
	add(
		matrixCase{name: "lint with a type error", tree: "lintmix", args: []string{"lint", "./..."}, code: exitError, msg: "b/b.go:5",
			check: func(t *testing.T, stdout, _ string) {
				for _, want := range []string{"a/a.go:10:", "c/c.go:8:"} {
					if !strings.Contains(stdout, want) {
						t.Errorf("the other packages' finding %s is missing:\n%s", want, stdout)
					}
				}
			}},
		matrixCase{name: "lint --json with a type error", tree: "lintmix", args: []string{"lint", "--json", "./..."}, code: exitError, msg: "b/b.go:5", jsonDoc: true,
			check: func(t *testing.T, stdout, _ string) {
				var rep report.Report
				if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
					t.Fatal(err)
				}
				if len(rep.Findings) != 2 {
					t.Errorf("%d findings, want those of a and c: %+v", len(rep.Findings), rep.Findings)
				}
			}},
	)
	return cases
}

// stackRE matches a Go stack trace's goroutine header.
var stackRE = regexp.MustCompile(`goroutine \d+ \[`)

// matrixRun runs one case and checks what every case must hold.
func matrixRun(t *testing.T, bin string, tc matrixCase) {
	dir := matrixTree(t, tc.tree)
	args := tc.args
	if tc.setup != nil {
		args = tc.setup(t, dir)
	}
	before := matrixHash(t, dir)
	tmp := t.TempDir() // advisor's TMPDIR: must be empty afterwards

	// Generous: a loaded machine builds slowly; the trapping target takes
	// --timeout plus two grace periods.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "NO_COLOR=1")
	cmd.WaitDelay = 10 * time.Second
	if tc.stdin != nil {
		cmd.Stdin = tc.stdin(t)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if tc.headOne {
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(pipe).ReadString('\n')
		stdout.WriteString(line)
		if err != nil {
			t.Errorf("reading the first line: %v", err)
		}
		pipe.Close()
	} else {
		cmd.Stdout = &stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	err := cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if ctx.Err() != nil {
		t.Fatalf("advisor %s did not end in %v (err %v); stderr:\n%s", strings.Join(args, " "), time.Since(start), err, stderr.String())
	}
	t.Logf("advisor %s: exit %d in %v", strings.Join(args, " "), code, time.Since(start).Round(time.Millisecond))
	out, errs := stdout.String(), stderr.String()

	if code != tc.code {
		t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errs)
	}
	var own []string // advisor's own lines on stderr
	for _, l := range strings.Split(errs, "\n") {
		if strings.HasPrefix(l, "advisor: ") {
			own = append(own, l)
		}
	}
	if tc.code == exitError {
		if len(own) != 1 || !strings.Contains(own[0], tc.msg) {
			t.Errorf("want one line \"advisor: ...%s...\" on stderr, got %q; stderr:\n%s", tc.msg, own, errs)
		}
	}
	stackIn := errs
	if tc.targetStack {
		stackIn = strings.Join(own, "\n") // the target's own panic passes through
	}
	if strings.Contains(stackIn, "panic:") || stackRE.MatchString(stackIn) {
		t.Errorf("stderr has a Go stack trace of advisor's:\n%s", errs)
	}
	if tc.jsonDoc {
		matrixCheckJSON(t, out, tc)
	}
	if tc.ciDoc {
		matrixCheckCI(t, out)
	}
	if tc.check != nil {
		tc.check(t, out, errs)
	}
	if after := matrixHash(t, dir); after != before {
		t.Errorf("advisor changed the tree it ran in (%s)", dir)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		var names []string
		for _, d := range left {
			names = append(names, d.Name())
		}
		t.Errorf("left in TMPDIR: %v", names)
	}
	if tc.tree == "git" {
		if wt := ciGit(t, dir, "worktree", "list"); strings.Count(wt, "\n") != 0 {
			t.Errorf("worktrees left behind:\n%s", wt)
		}
	}
}

// matrixCheckJSON checks that stdout is exactly one advisor/v1 document, with
// errors when the run failed and hot paths when it was a partial run.
func matrixCheckJSON(t *testing.T, stdout string, tc matrixCase) {
	t.Helper()
	if err := docs.ValidateReport([]byte(stdout)); err != nil {
		t.Fatalf("stdout is not one advisor/v1 document: %v\n%s", err, stdout)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	var rep report.Report
	if err := dec.Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Errorf("stdout has more than one document:\n%s", stdout)
	}
	if tc.code != exitOK && len(rep.Errors) == 0 {
		t.Errorf("a failed run's report has no errors:\n%s", stdout)
	}
	if tc.partial && (len(rep.Hotpaths) == 0 || rep.Summary == nil) {
		t.Errorf("no partial report (hot paths, summary):\n%s", stdout)
	}
}

func matrixCheckCI(t *testing.T, stdout string) {
	t.Helper()
	if err := docs.ValidateCI([]byte(stdout)); err != nil {
		t.Fatalf("stdout is not one advisor-ci/v1 document: %v\n%s", err, stdout)
	}
	var o report.CI
	if err := json.Unmarshal([]byte(stdout), &o); err != nil || len(o.Errors) == 0 {
		t.Errorf("a failed run's document has no errors (%v):\n%s", err, stdout)
	}
}

// matrixBuild builds the advisor binary once for the whole matrix.
func matrixBuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "advisor")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// matrixTree makes the directory a case runs in, a fresh copy each time so
// that a case that wrote to it would show, and nothing in the repository is
// touched.
func matrixTree(t *testing.T, kind string) string {
	t.Helper()
	dir := t.TempDir()
	switch kind {
	case "":
	case "targets", "lintmix":
		src := filepath.Join("testdata", "targets")
		if kind == "lintmix" {
			src = filepath.Join(src, "lintmix")
		}
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		if kind == "targets" {
			// Its own module: the packages are not in the main module
			// of a demo, and lintmix does not type-check.
			os.RemoveAll(filepath.Join(dir, "lintmix"))
		}
		matrixWrite(t, filepath.Join(dir, "go.mod"), "module example.com/"+kind+"\n\ngo 1.26\n")
	case "git":
		if _, err := exec.LookPath("git"); err != nil {
			t.Skip("git not installed")
		}
		matrixWrite(t, filepath.Join(dir, "go.mod"), "module example.com/nobench\n\ngo 1.26\n")
		matrixWrite(t, filepath.Join(dir, "lib.go"), "// Package nobench has no benchmark.\npackage nobench\n\n// Two is 2.\nfunc Two() int { return 2 }\n")
		ciGit(t, dir, "init", "-q")
		ciGit(t, dir, "add", ".")
		ciGit(t, dir, "commit", "-q", "-m", "init")
	default:
		t.Fatalf("unknown tree %q", kind)
	}
	return dir
}

// matrixFiles writes the bad profile files into dir and returns args.
func matrixFiles(args []string) func(t *testing.T, dir string) []string {
	return func(t *testing.T, dir string) []string {
		fib, err := os.ReadFile(filepath.Join("testdata", "fib.pprof"))
		if err != nil {
			t.Fatal(err)
		}
		random := make([]byte, 4096)
		r := rand.New(rand.NewPCG(1, 2))
		for i := range random {
			random[i] = byte(r.Uint32())
		}
		for name, content := range map[string]string{
			"empty":           "",
			"truncated.pprof": string(fib[:len(fib)/3]),
			"random.bin":      string(random),
			"image.png":       "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
			"doc.json":        `{"schema": "advisor/v1", "hotpaths": []}` + "\n",
		} {
			matrixWrite(t, filepath.Join(dir, name), content)
		}
		return args
	}
}

// matrixServer starts a server answering every request with h and returns
// --from arguments pointing at it (with --json if asJSON).
func matrixServer(asJSON bool, h http.HandlerFunc) func(t *testing.T, dir string) []string {
	return func(t *testing.T, _ string) []string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		args := []string{"--from", srv.URL, "--seconds", "1"}
		if asJSON {
			args = append([]string{"--json"}, args...)
		}
		return args
	}
}

// matrixWrite writes content to path, creating its directory.
func matrixWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// matrixHash hashes the names, modes and contents of everything under dir
// except .git (which git worktree bookkeeping may touch).
func matrixHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(h, "%s\x00%v\x00", rel, fi.Mode())
		if d.Type().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%d\x00", len(b))
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// wantIn returns a check that stream ("stdout" or "stderr") contains s.
func wantIn(stream, s string) func(t *testing.T, stdout, stderr string) {
	return func(t *testing.T, stdout, stderr string) {
		got := stdout
		if stream == "stderr" {
			got = stderr
		}
		if !strings.Contains(got, s) {
			t.Errorf("%s lacks %q:\n%s", stream, s, got)
		}
	}
}
