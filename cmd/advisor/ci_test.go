package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ciModule writes a small module with two benchmarks into dir. passes
// scales Process's work linearly; prealloc chooses between a preallocated
// slice (one allocation per call) and append growth (seven allocations, and
// a prealloc lint finding on a hot line).
func ciModule(t *testing.T, dir string, passes int, prealloc bool) {
	t.Helper()
	decl := "out := make([]int, 0, len(xs))"
	if !prealloc {
		decl = "var out []int"
	}
	files := map[string]string{
		"go.mod": "module example.com/work\n\ngo 1.26.0\n",
		"work.go": fmt.Sprintf(`// Package work is a fixture for advisor ci's tests.
package work

// Process doubles xs and mixes the result %[1]d times.
func Process(xs []int) int {
	%[2]s
	for _, x := range xs {
		out = append(out, x*3)
	}
	s := 0
	for r := range %[1]d {
		for _, v := range out {
			s += v ^ r
		}
	}
	return s
}

// Stable never changes between the test's commits.
func Stable(xs []int) int {
	s := 0
	for i := range 40 {
		for _, x := range xs {
			s += x * i
		}
	}
	return s
}
`, passes, decl),
		"work_test.go": `package work

import "testing"

var xs = make([]int, 64)

var sink int

func BenchmarkProcess(b *testing.B) {
	for b.Loop() {
		sink = Process(xs)
	}
}

func BenchmarkStable(b *testing.B) {
	for b.Loop() {
		sink = Stable(xs)
	}
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ciGit runs git in dir with a fixed identity and no user configuration.
func ciGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=advisor-test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// ciResult is the part of `advisor ci --format json` the tests read.
type ciResult struct {
	Regressions int `json:"regressions"`
	Verdicts    []struct {
		Name, Unit, Status, Reason string
	} `json:"verdicts"`
	NewFindings []struct {
		Rule     string   `json:"rule"`
		File     string   `json:"file"`
		Line     int      `json:"line"`
		HotShare *float64 `json:"hot_share"`
	} `json:"new_findings"`
}

func (r *ciResult) status(bench, unit string) string {
	for _, v := range r.Verdicts {
		if strings.HasPrefix(v.Name, bench) && v.Unit == unit {
			return v.Status + " (" + v.Reason + ")"
		}
	}
	return "missing"
}

// TestCIEndToEnd builds a git repository with a base commit, a 30%
// slowdown, an extra allocation in a loop and a 1% change, and checks what
// `advisor ci --base` decides for each, and that the base compared with
// itself is never flagged.
func TestCIEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and benchmarks a module several times; skipped with -short")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	repo := t.TempDir()
	ciGit(t, repo, "init", "-q")
	ciModule(t, repo, 100, true)
	ciGit(t, repo, "add", ".")
	ciGit(t, repo, "commit", "-q", "-m", "base")
	base := ciGit(t, repo, "rev-parse", "HEAD")

	// Short runs keep this test at one to two minutes on a busy machine.
	ci := func(t *testing.T, extra ...string) (int, *ciResult, string) {
		t.Helper()
		args := append([]string{"ci", "--head-dir", repo, "--count", "12", "--benchtime", "40ms", "--format", "json"}, extra...)
		code, out, stderr := ciRun(t, append(args, "./...")...)
		var r ciResult
		if code != exitError {
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("invalid JSON (exit %d): %v\n%s\n%s", code, err, out, stderr)
			}
		}
		return code, &r, stderr
	}
	commit := func(t *testing.T, passes int, prealloc bool, msg string) {
		ciModule(t, repo, passes, prealloc)
		ciGit(t, repo, "commit", "-q", "-am", msg)
	}

	t.Run("slowdown", func(t *testing.T) {
		commit(t, 130, true, "30% more work")
		code, r, stderr := ci(t, "--base", base, "--no-lint")
		if code != exitFindings {
			t.Fatalf("exit %d, want 1: %+v\n%s", code, r, stderr)
		}
		// cpu-sec/op is the measurement that survives a busy machine;
		// wall-clock sec/op may or may not show the slowdown.
		if s := r.status("Process", "cpu-sec/op"); !strings.HasPrefix(s, "regression") {
			t.Errorf("Process cpu-sec/op: %s, want a regression", s)
		}
		for _, unit := range []string{"sec/op", "cpu-sec/op"} {
			if s := r.status("Stable", unit); strings.HasPrefix(s, "regression") {
				t.Errorf("Stable %s: %s, want no regression", unit, s)
			}
		}
		if s := r.status("Process", "allocs/op"); !strings.HasPrefix(s, "unchanged") {
			t.Errorf("Process allocs/op: %s, want unchanged", s)
		}
	})

	t.Run("allocation", func(t *testing.T) {
		commit(t, 100, false, "append without capacity")
		code, r, stderr := ci(t, "--base", base)
		if code != exitFindings {
			t.Fatalf("exit %d, want 1: %+v\n%s", code, r, stderr)
		}
		for _, unit := range []string{"allocs/op", "B/op"} {
			if s := r.status("Process", unit); !strings.HasPrefix(s, "regression") {
				t.Errorf("Process %s: %s, want a regression", unit, s)
			}
		}
		// The new append in a loop is a prealloc finding on a hot line; the
		// base (with make) has none, so it is new.
		found := false
		for _, f := range r.NewFindings {
			if f.Rule == "prealloc" && f.File == "work.go" && f.HotShare != nil && *f.HotShare > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("new findings %+v, want prealloc in work.go with a hot share", r.NewFindings)
		}
	})

	t.Run("one percent", func(t *testing.T) {
		commit(t, 101, true, "1% more work")
		code, r, stderr := ci(t, "--base", base, "--no-lint")
		if code != exitOK {
			t.Errorf("exit %d, want 0 for a 1%% change: %+v\n%s", code, r, stderr)
		}
	})

	t.Run("A/A", func(t *testing.T) {
		for i := range 3 {
			extra := []string{"--base", "HEAD"}
			if i > 0 {
				extra = append(extra, "--no-lint") // linting once is enough
			}
			code, r, stderr := ci(t, extra...)
			if code != exitOK {
				t.Errorf("run %d: exit %d, want 0 comparing HEAD with itself: %+v\n%s", i, code, r, stderr)
			}
			if len(r.NewFindings) != 0 {
				t.Errorf("run %d: new findings %+v comparing HEAD with itself", i, r.NewFindings)
			}
		}
		if st := ciGit(t, repo, "status", "--porcelain"); st != "" {
			t.Errorf("ci modified the checkout:\n%s", st)
		}
		if wt := ciGit(t, repo, "worktree", "list"); strings.Count(wt, "\n") != 0 {
			t.Errorf("ci left worktrees behind:\n%s", wt)
		}
	})

	t.Run("two trees", func(t *testing.T) {
		code, r, stderr := ci(t, "--base-dir", repo, "--no-lint")
		if code != exitOK {
			t.Errorf("--base-dir = --head-dir: exit %d, want 0: %+v\n%s", code, r, stderr)
		}
	})
}

// TestCIErrors checks that ci fails with exit 2 and one clear line when it
// cannot decide.
func TestCIErrors(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	repo := t.TempDir()
	ciGit(t, repo, "init", "-q")
	ciModule(t, repo, 1, true)
	ciGit(t, repo, "add", ".")
	ciGit(t, repo, "commit", "-q", "-m", "base")
	broken := t.TempDir()
	ciModule(t, broken, 1, true)
	os.WriteFile(filepath.Join(broken, "work.go"), []byte("package work\n\nfunc Process( {\n"), 0o644)
	nobench := t.TempDir()
	os.WriteFile(filepath.Join(nobench, "go.mod"), []byte("module example.com/nb\n\ngo 1.26.0\n"), 0o644)
	os.WriteFile(filepath.Join(nobench, "nb.go"), []byte("package nb\n"), 0o644)

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--head-dir", repo}, "give exactly one of --base REV"},
		{[]string{"--base", "x", "--base-dir", repo, "--head-dir", repo}, "give exactly one of --base REV"},
		{[]string{"--base", "no-such-rev", "--head-dir", repo}, `unknown git revision "no-such-rev"`},
		{[]string{"--base", "HEAD", "--head-dir", repo, "--count", "3"}, "--count 3 is too small"},
		{[]string{"--base", "HEAD", "--head-dir", repo, "--benchtime", "soon"}, `--benchtime: "soon" is not a positive duration`},
		{[]string{"--base-dir", repo, "--head-dir", broken, "--no-lint"}, "building tests of example.com/work (head) failed"},
		{[]string{"--base-dir", nobench, "--head-dir", nobench, "--no-lint"}, `no benchmark in ./... matches -bench "."`},
		{[]string{"--base-dir", repo, "--head-dir", repo, "--bench", "NoSuch", "--count", "6", "--benchtime", "1x", "--no-lint"}, `no benchmark in ./... matches -bench "NoSuch"`},
		{[]string{"--base-dir", repo, "--head-dir", filepath.Join(repo, "nope")}, "is not a directory"},
	}
	for _, tt := range tests {
		code, _, stderr := ciRun(t, append(append([]string{"ci"}, tt.args...), "./...")...)
		lastLine := stderr[strings.LastIndex(strings.TrimSuffix(stderr, "\n"), "\n")+1:]
		if code != exitError || !strings.Contains(lastLine, tt.want) || !strings.HasPrefix(lastLine, "advisor: ci: ") {
			t.Errorf("ci %v: exit %d, stderr %q; want exit 2 and a last line with %q", tt.args, code, stderr, tt.want)
		}
	}
}
