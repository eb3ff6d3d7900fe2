package abtest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/profile"
)

// module writes a module with one package holding two benchmarks (one
// with sub-benchmarks) and one package without tests.
func module(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"go.mod":       "module example.com/ab\n\ngo 1.26.0\n",
		"ab.go":        "package ab\n\nfunc Sum(n int) int {\n\ts := 0\n\tfor i := range n {\n\t\ts += i\n\t}\n\treturn s\n}\n",
		"ab_test.go":   "package ab\n\nimport \"testing\"\n\nvar sink int\n\nfunc BenchmarkSum(b *testing.B) {\n\tfor b.Loop() {\n\t\tsink = Sum(100)\n\t}\n}\n\nfunc BenchmarkSizes(b *testing.B) {\n\tfor _, n := range []int{10, 20} {\n\t\tb.Run(\"n\", func(b *testing.B) {\n\t\t\tfor b.Loop() {\n\t\t\t\tsink = Sum(n)\n\t\t\t}\n\t\t})\n\t}\n}\n\nfunc TestSum(t *testing.T) {}\n",
		"none/none.go": "package none\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBuildAndRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds test binaries; skipped with -short")
	}
	base, head := t.TempDir(), t.TempDir()
	module(t, base)
	module(t, head)
	// A package only in head is benchmarked there and not an error in base.
	os.MkdirAll(filepath.Join(head, "extra"), 0o755)
	os.WriteFile(filepath.Join(head, "extra", "x_test.go"), []byte("package extra\n\nimport \"testing\"\n\nfunc BenchmarkX(b *testing.B) {\n\tfor b.Loop() {\n\t}\n}\n"), 0o644)

	var order []string
	o := Options{
		BaseDir: base, HeadDir: head, Patterns: []string{"./..."},
		Bench: "Sum|Sizes|X", Benchtime: "3x", Count: 2, WorkDir: t.TempDir(),
		// Reverse instead of shuffling, to check that each round is permuted.
		Shuffle: func(n int, swap func(i, j int)) {
			for i := 0; i < n/2; i++ {
				swap(i, n-1-i)
			}
		},
	}
	ctx := context.Background()
	pkgs, err := Build(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 2 || pkgs[0].ImportPath != "example.com/ab" || pkgs[1].ImportPath != "example.com/ab/extra" || pkgs[1].Base != nil {
		t.Fatalf("packages %+v, want example.com/ab on both sides and extra only in head", pkgs)
	}
	if got := strings.Join(pkgs[0].Head.Benchmarks, ","); got != "BenchmarkSum,BenchmarkSizes" {
		t.Errorf("benchmarks %s", got)
	}

	outs, err := Run(ctx, pkgs, o)
	if err != nil {
		t.Fatal(err)
	}
	// 2 rounds × (ab base, ab head, extra head).
	if len(outs) != 6 {
		t.Fatalf("%d runs, want 6", len(outs))
	}
	for _, out := range outs {
		order = append(order, out.Side+" "+out.ImportPath)
		if !strings.Contains(string(out.Output), "ns/op") || !strings.Contains(string(out.Output), "allocs/op") {
			t.Errorf("run output lacks -benchmem results:\n%s", out.Output)
		}
	}
	if order[0] == order[3] {
		t.Errorf("rounds ran in the same order: %v", order)
	}

	o.CPUTime = true
	outs, err = Run(ctx, pkgs, o)
	if err != nil {
		t.Fatal(err)
	}
	// One run per top-level benchmark and side: Sum and Sizes on both
	// sides, X in head, for 2 rounds.
	if len(outs) != 10 {
		t.Fatalf("%d CPU-time runs, want 10", len(outs))
	}
	for _, out := range outs {
		s := string(out.Output)
		if !strings.Contains(s, "Unit cpu-ns/op better=lower\n") || strings.Count(s, " cpu-ns/op\n") != 1 {
			t.Errorf("run output lacks one cpu-ns/op line:\n%s", s)
		}
		if strings.Contains(s, "BenchmarkSum") && strings.Contains(s, "BenchmarkSizes") {
			t.Errorf("a CPU-time run must hold exactly one top-level benchmark:\n%s", s)
		}
	}

	// One profile per package, or more where the first held fewer than
	// minProfileSamples samples (these benchmarks are short).
	profiles, err := Profile(ctx, pkgs, o)
	if err != nil || len(profiles) < 2 || len(profiles) > 2*maxProfileRuns {
		t.Errorf("Profile: %v, %v; want 2 to %d profiles", profiles, err, 2*maxProfileRuns)
	}
	for i := range 2 {
		if !slices.ContainsFunc(profiles, func(p string) bool { return strings.Contains(filepath.Base(p), "head-cpu-"+strconv.Itoa(i)+"-") }) {
			t.Errorf("Profile: %v, none for package %d", profiles, i)
		}
	}
}

func TestBuildFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command; skipped with -short")
	}
	base, head := t.TempDir(), t.TempDir()
	module(t, base)
	module(t, head)
	os.WriteFile(filepath.Join(head, "ab.go"), []byte("package ab\n\nfunc Sum(n int) int { return \"x\" }\n"), 0o644)
	_, err := Build(context.Background(), Options{BaseDir: base, HeadDir: head, Patterns: []string{"./..."}, Bench: ".", WorkDir: t.TempDir()})
	var ue *profile.UserError
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "building tests of example.com/ab (head) failed") || !strings.Contains(ue.Output, "cannot use \"x\"") {
		t.Errorf("error %v, want a UserError naming the package and carrying the compiler output", err)
	}
}

func TestWorktree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	os.MkdirAll(filepath.Join(repo, "sub"), 0o755)
	os.WriteFile(filepath.Join(repo, "sub", "f.txt"), []byte("v1"), 0o644)
	git("add", ".")
	git("commit", "-q", "-m", "one")
	os.WriteFile(filepath.Join(repo, "sub", "f.txt"), []byte("v2 uncommitted"), 0o644)

	ctx := context.Background()
	dst := filepath.Join(t.TempDir(), "wt")
	sub, cleanup, err := Worktree(ctx, filepath.Join(repo, "sub"), "HEAD", dst)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(sub, "f.txt")); err != nil || string(data) != "v1" {
		t.Errorf("worktree file %q, %v; want the committed v1 in the subdirectory", data, err)
	}
	if err := cleanup(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Errorf("worktree %s still exists after cleanup", dst)
	}
	if data, _ := os.ReadFile(filepath.Join(repo, "sub", "f.txt")); string(data) != "v2 uncommitted" {
		t.Errorf("the user's checkout changed: %q", data)
	}

	_, _, err = Worktree(ctx, repo, "no-such-rev", filepath.Join(t.TempDir(), "x"))
	var ue *profile.UserError
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, `unknown git revision "no-such-rev"`) {
		t.Errorf("error %v, want an unknown revision", err)
	}
	_, _, err = Worktree(ctx, t.TempDir(), "HEAD", filepath.Join(t.TempDir(), "x"))
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "is not in a git checkout") {
		t.Errorf("error %v, want not a git checkout", err)
	}
}

func TestSplitBench(t *testing.T) {
	for _, tt := range []struct{ in, top, sub string }{
		{".", ".", ""},
		{"Parse/big", "Parse", "/big"},
		{"A|B", "A|B", ""},
		{"[/]x/y", "[/]x", "/y"},
		{"(a/b)/c", "(a/b)", "/c"},
		{`a\/b/c`, `a\/b`, "/c"},
	} {
		if top, sub := splitBench(tt.in); top != tt.top || sub != tt.sub {
			t.Errorf("splitBench(%q) = %q, %q; want %q, %q", tt.in, top, sub, tt.top, tt.sub)
		}
	}
}

func TestCPULine(t *testing.T) {
	out := []byte("goos: linux\nBenchmarkSizes/n-4 \t 10\t 5 ns/op\nBenchmarkSizes/n#01-4 \t 10\t 5 ns/op\n")
	got := string(cpuLine(out, "BenchmarkSizes", 1000, 3*time.Millisecond))
	want := "Unit cpu-ns/op better=lower\nBenchmarkSizes-4 \t1000\t3000 cpu-ns/op\n"
	if got != want {
		t.Errorf("cpuLine = %q, want %q", got, want)
	}
	// GOMAXPROCS=1 prints no suffix.
	if got := string(cpuLine([]byte("BenchmarkX \t 1\t 1 ns/op\n"), "BenchmarkX", 2, 10)); !strings.HasSuffix(got, "BenchmarkX \t2\t5 cpu-ns/op\n") {
		t.Errorf("cpuLine without suffix = %q", got)
	}
}

func FuzzSplitBench(f *testing.F) {
	for _, s := range []string{".", "Parse/big", "[/]x/y", `a\/b/c`, "((/", "]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, re string) {
		top, sub := splitBench(re)
		if top+sub != re || (sub != "" && sub[0] != '/') {
			t.Errorf("splitBench(%q) = %q, %q", re, top, sub)
		}
	})
}
