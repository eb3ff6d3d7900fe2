package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/rules/all"
)

// hotFinding is the finding on testdata/lint/hot's busy line, with its share.
var hotFinding = regexp.MustCompile(`^hot\.go:9:3: \[(\d+\.\d)%\] s is built by \+= in a loop; .* \(stringconcat\)$`)

// hotModule copies testdata/lint/hot (a hot and a cold finding, a test and
// a benchmark that keep the hot one busy) to a temporary directory.
func hotModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "lint", "hot"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLintProfileHidesCold records a real CPU profile of a test that keeps
// one finding's code busy and runs the other's once, then checks that
// advisor lint with that profile shows the hot finding with its share and
// hides the cold one, and that --all shows both; and that the default.pgo
// of a main package is picked up without --profile.
func TestLintProfileHidesCold(t *testing.T) {
	if testing.Short() {
		t.Skip("records a CPU profile with go test")
	}
	dir := hotModule(t)
	prof := filepath.Join(dir, "cpu.pprof")
	cmd := exec.Command("go", "test", "-count=1", "-cpuprofile", prof, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -cpuprofile: %v\n%s", err, out)
	}
	rules := all.Rules()
	code, stdout, stderr := runLintTest(t, rules, "-C", dir, "--profile", "cpu.pprof", "./...")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 1 || !hotFinding.MatchString(lines[0]) {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if share, _ := strconv.ParseFloat(hotFinding.FindStringSubmatch(lines[0])[1], 64); share < 10 {
		t.Errorf("hot share %.1f%%, want a good part of the samples", share)
	}
	if !strings.Contains(stderr, "findings hidden (cold ") && !strings.Contains(stderr, "finding hidden (cold ") {
		t.Errorf("stderr: %s", stderr)
	}

	_, stdout, _ = runLintTest(t, rules, "-C", dir, "--profile", "cpu.pprof", "--all", "./...")
	if !strings.Contains(stdout, "hot.go:18:3: [0.0%] t is built by += in a loop") || !strings.Contains(stdout, "(stringconcat; cold)") {
		t.Errorf("--all:\n%s", stdout)
	}

	// The same profile committed as the main package's default.pgo.
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cmd", "hot", "default.pgo"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, stderr = runLintTest(t, rules, "-C", dir, "./...")
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); len(lines) != 1 || !hotFinding.MatchString(lines[0]) || !strings.Contains(stderr, "ranking by cmd/hot/default.pgo") {
		t.Errorf("default.pgo: stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	_, stdout, _ = runLintTest(t, rules, "-C", dir, "--profile", "off", "./...")
	if !strings.Contains(stdout, "hot.go:18:3: t is built") {
		t.Errorf("--profile off:\n%s", stdout)
	}
}

// TestLintBench: --bench records the profile itself from the packages'
// benchmarks: the hot finding is shown with its share, the cold one
// hidden; a package with no benchmark, or --bench beside --profile, is a
// one-line error.
func TestLintBench(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test -bench")
	}
	dir := hotModule(t)
	t.Setenv("GOFLAGS", "")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the profiles go; they must not stay
	rules := all.Rules()
	code, stdout, stderr := runLintTest(t, rules, "-C", dir, "--bench", "Hot", "--benchtime", "300ms", "./...")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 1 || len(lines) != 1 || !hotFinding.MatchString(lines[0]) || !strings.Contains(stderr, "ranking by the benchmarks of 1 of 1 packages") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if share, _ := strconv.ParseFloat(hotFinding.FindStringSubmatch(lines[0])[1], 64); share <= 0 {
		t.Errorf("hot share %.1f%%, want the line measured", share)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "advisor-bench-*")); len(left) > 0 {
		t.Errorf("--bench left %v behind", left)
	}

	// A second package with benchmarks of its own (that each package's
	// profile counts on its own, so that one does not dilute the other, is
	// TestRankBy's, on fixed profiles: under load the hot line's share of
	// its own benchmark's samples ranged from 15% to 50%).
	matrixWrite(t, filepath.Join(dir, "busy", "busy_test.go"),
		"package busy\n\nimport \"testing\"\n\nvar sink int\n\nfunc BenchmarkBusy(b *testing.B) {\n\tfor b.Loop() {\n\t\tfor i := range 1000 {\n\t\t\tsink += i * i\n\t\t}\n\t}\n}\n")
	code, stdout, stderr = runLintTest(t, rules, "-C", dir, "--bench", ".", "--benchtime", "300ms", "./...")
	lines = strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 1 || len(lines) != 1 || !hotFinding.MatchString(lines[0]) || !strings.Contains(stderr, "ranking by the benchmarks of 2 of 2 packages") {
		t.Fatalf("with a second package: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// A package whose benchmark fails is named and left out.
	matrixWrite(t, filepath.Join(dir, "bad", "bad_test.go"),
		"package bad\n\nimport \"testing\"\n\nfunc BenchmarkBad(b *testing.B) { b.Fatal(\"broken on purpose\") }\n")
	code, stdout, stderr = runLintTest(t, rules, "-C", dir, "--bench", ".", "--benchtime", "300ms", "./...")
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); code != 1 || len(lines) != 1 || !hotFinding.MatchString(lines[0]) ||
		!strings.Contains(stderr, "advisor: --bench: bad: go test -bench: exit status 1: --- FAIL: BenchmarkBad") ||
		!strings.Contains(stderr, "ranking by the benchmarks of 2 of 3 packages") {
		t.Errorf("with a failing benchmark: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bench", ".", "./cmd/..."}, "--bench: none of the packages linted has a benchmark"},
		{[]string{"--bench", ".", "./bad"}, "--bench: no benchmark ran: bad: go test -bench: exit status 1: --- FAIL: BenchmarkBad"},
		{[]string{"--bench", ".", "--profile", "x.pprof", "./..."}, "--bench and --profile are exclusive"},
		{[]string{"--bench", ".", "--tests=false", "./..."}, "--bench runs the benchmarks of the _test.go files"},
	} {
		code, _, stderr := runLintTest(t, rules, append([]string{"-C", dir}, tc.args...)...)
		if code != exitError || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q", tc.args, code, stderr, tc.want)
		}
	}
}
