// Package abtest measures two versions of Go code against each other: it
// builds the test binaries of a base and a head tree (Build), runs their
// benchmarks in interleaved, shuffled rounds with one round runner for
// wall-clock and CPU-time measurements (Run), profiles head (Profile), and
// checks out a git revision in a temporary worktree (Worktree).
package abtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/advisor-dev/advisor/profile"
	"golang.org/x/sync/errgroup"
)

// Sides of an A/B benchmark run.
const (
	Base = "base"
	Head = "head"
)

// Options configures building and running the benchmarks of two trees.
type Options struct {
	// BaseDir and HeadDir are the directories in which Patterns are
	// resolved: the same relative directory in the two trees.
	BaseDir, HeadDir string
	// Patterns are package patterns such as "./...".
	Patterns []string
	// Bench is the -test.bench regexp; Benchtime the -test.benchtime value.
	Bench, Benchtime string
	// Count is the number of rounds; each round runs every binary once.
	Count int
	// BuildFlags are extra flags for `go test -c` (e.g. -tags).
	BuildFlags []string
	// WorkDir receives the test binaries and profiles. It must exist.
	WorkDir string
	// Shuffle permutes each round's run order; nil means math/rand/v2.Shuffle.
	Shuffle func(n int, swap func(i, j int))
	// Progress, if non-nil, receives one line per round.
	Progress io.Writer
	// CPUTime adds a cpu-ns/op measurement: each top-level benchmark runs
	// in its own process for a fixed number of iterations, and the
	// process's CPU time (user+sys, minus the cost of starting the binary)
	// is divided by the iterations. Unlike wall-clock ns/op it does not
	// count time spent waiting for a CPU, so it stays meaningful on an
	// oversubscribed machine (shared CI runners).
	CPUTime bool
}

// Package is a package with tests, built on one or both sides.
type Package struct {
	ImportPath string
	Base, Head *Binary // nil when the package has no tests on that side
}

// Binary is a test binary and the directory it must run in (its package
// directory, as `go test` does, so that testdata/ is found).
type Binary struct {
	Path string
	Dir  string
	// Benchmarks are the top-level benchmarks that match the -bench
	// regexp (as -test.list prints them: "BenchmarkX").
	Benchmarks []string
}

// RunOutput is the output of one run of one binary.
type RunOutput struct {
	ImportPath string
	Side       string
	Round      int
	Output     []byte
}

// listed is one package from `go list`.
type listed struct {
	importPath, dir string
	hasTests        bool
}

// Build compiles the test binary of every package matching o.Patterns in
// both trees with `go test -c`. A build failure is a *UserError carrying
// the compiler's output.
func Build(ctx context.Context, o Options) ([]Package, error) {
	if len(o.Patterns) == 0 {
		o.Patterns = []string{"."}
	}
	byPath := map[string]*Package{}
	var order []string
	for _, side := range []string{Base, Head} {
		dir := o.BaseDir
		if side == Head {
			dir = o.HeadDir
		}
		// A package that does not exist (yet) in base is not an error: it
		// has nothing to compare against.
		pkgs, err := list(ctx, dir, o.Patterns, side == Base)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", side, err)
		}
		outDir := filepath.Join(o.WorkDir, side)
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", outDir, err)
		}
		bins := make([]*Binary, len(pkgs))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, p := range pkgs {
			if !p.hasTests {
				continue
			}
			g.Go(func() error {
				bin := filepath.Join(outDir, strconv.Itoa(i)+".test")
				args := append([]string{"test", "-c", "-o", bin}, o.BuildFlags...)
				args = append(args, p.importPath)
				cmd := exec.CommandContext(gctx, "go", args...)
				cmd.Dir = dir
				out, err := cmd.CombinedOutput()
				if err != nil {
					return userError(fmt.Sprintf("building tests of %s (%s) failed: %s", p.importPath, side, profile.SummarizeOutput(string(out))), string(out), err)
				}
				if _, err := os.Stat(bin); err != nil {
					// No test files after build constraints: nothing to run.
					return nil
				}
				bins[i] = &Binary{Path: bin, Dir: p.dir}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		for i, p := range pkgs {
			if bins[i] == nil {
				continue
			}
			ap := byPath[p.importPath]
			if ap == nil {
				ap = &Package{ImportPath: p.importPath}
				byPath[p.importPath] = ap
				order = append(order, p.importPath)
			}
			if side == Base {
				ap.Base = bins[i]
			} else {
				ap.Head = bins[i]
			}
		}
	}
	var out []Package
	for _, path := range order {
		p := byPath[path]
		// Drop packages without a benchmark on either side: running them only
		// costs time.
		hasBench := false
		for _, b := range []*Binary{p.Base, p.Head} {
			if b == nil {
				continue
			}
			names, err := listBenchmarks(ctx, b, o.Bench)
			if err != nil {
				return nil, fmt.Errorf("listing benchmarks of %s: %w", path, err)
			}
			b.Benchmarks = names
			hasBench = hasBench || len(names) > 0
		}
		if hasBench {
			out = append(out, *p)
		}
	}
	return out, nil
}

// list lists the packages matching patterns in dir.
// With tolerant, packages that fail to load are skipped.
func list(ctx context.Context, dir string, patterns []string, tolerant bool) ([]listed, error) {
	const format = "{{.ImportPath}}\t{{.Dir}}\t{{len .TestGoFiles}}\t{{len .XTestGoFiles}}\t{{if .Error}}{{.Error}}{{end}}"
	args := append([]string{"list", "-e", "-f", format}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, userError(fmt.Sprintf("go list %s in %s: %s", strings.Join(patterns, " "), dir, profile.SummarizeOutput(stderr.String())), stderr.String(), err)
	}
	var pkgs []listed
	for _, line := range strings.Split(string(out), "\n") {
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 5)
		if len(f) != 5 {
			return nil, fmt.Errorf("unexpected go list output %q", line)
		}
		if f[4] != "" {
			if tolerant {
				continue
			}
			return nil, userError(fmt.Sprintf("package %s: %s", f[0], strings.TrimSpace(f[4])), f[4], nil)
		}
		pkgs = append(pkgs, listed{importPath: f[0], dir: f[1], hasTests: f[2] != "0" || f[3] != "0"})
	}
	if len(pkgs) == 0 && !tolerant {
		return nil, userError(fmt.Sprintf("no packages match %s in %s", strings.Join(patterns, " "), dir), "", nil)
	}
	return pkgs, nil
}

// listBenchmarks returns the top-level benchmarks of the binary that the
// -bench regexp selects (its part before the first "/", as go test does).
func listBenchmarks(ctx context.Context, b *Binary, bench string) ([]string, error) {
	cmd := exec.CommandContext(ctx, b.Path, "-test.list", "^Benchmark")
	cmd.Dir = b.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s -test.list: %w: %s", b.Path, err, profile.SummarizeOutput(string(out)))
	}
	topRE, _ := splitBench(bench)
	top, err := regexp.Compile(topRE)
	if err != nil {
		// go test reports the bad regexp when the benchmarks run.
		top = regexp.MustCompile("")
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Benchmark") && top.MatchString(line) {
			names = append(names, strings.TrimSpace(line))
		}
	}
	return names, nil
}

// splitBench splits a -bench regexp into the part that applies to
// top-level names and the rest (starting with "/", or ""): the split is at
// the first "/" outside brackets and parentheses, as go test does.
func splitBench(re string) (top, sub string) {
	depth := 0
	for i, c := range re {
		switch c {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case '/':
			if depth == 0 && (i == 0 || re[i-1] != '\\') {
				return re[:i], re[i:]
			}
		}
	}
	return re, ""
}

// userError builds the *profile.UserError of a failure caused by the
// user's input (code that does not compile, a revision that does not exist).
func userError(msg, output string, err error) *profile.UserError {
	return &profile.UserError{Msg: msg, Output: output, Err: err}
}
