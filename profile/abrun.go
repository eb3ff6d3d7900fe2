package profile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Sides of an A/B benchmark run.
const (
	ABBase = "base"
	ABHead = "head"
)

// ABOptions configures building and running the benchmarks of two trees.
type ABOptions struct {
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
}

// ABPackage is a package with tests, built on one or both sides.
type ABPackage struct {
	ImportPath string
	Base, Head *ABBinary // nil when the package has no tests on that side
}

// ABBinary is a test binary and the directory it must run in (its package
// directory, as `go test` does, so that testdata/ is found).
type ABBinary struct {
	Path string
	Dir  string
}

// ABRunOutput is the output of one run of one binary.
type ABRunOutput struct {
	ImportPath string
	Side       string
	Round      int
	Output     []byte
}

// abListed is one package from `go list`.
type abListed struct {
	importPath, dir string
	hasTests        bool
}

// ABBuild compiles the test binary of every package matching o.Patterns in
// both trees with `go test -c`. A build failure is a *UserError carrying
// the compiler's output.
func ABBuild(ctx context.Context, o ABOptions) ([]ABPackage, error) {
	if len(o.Patterns) == 0 {
		o.Patterns = []string{"."}
	}
	byPath := map[string]*ABPackage{}
	var order []string
	for _, side := range []string{ABBase, ABHead} {
		dir := o.BaseDir
		if side == ABHead {
			dir = o.HeadDir
		}
		// A package that does not exist (yet) in base is not an error: it
		// has nothing to compare against.
		pkgs, err := abList(ctx, dir, o.Patterns, side == ABBase)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", side, err)
		}
		outDir := filepath.Join(o.WorkDir, side)
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", outDir, err)
		}
		bins := make([]*ABBinary, len(pkgs))
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
					return userError(fmt.Sprintf("building tests of %s (%s) failed: %s", p.importPath, side, summarizeOutput(string(out))), string(out), err)
				}
				if _, err := os.Stat(bin); err != nil {
					// No test files after build constraints: nothing to run.
					return nil
				}
				bins[i] = &ABBinary{Path: bin, Dir: p.dir}
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
				ap = &ABPackage{ImportPath: p.importPath}
				byPath[p.importPath] = ap
				order = append(order, p.importPath)
			}
			if side == ABBase {
				ap.Base = bins[i]
			} else {
				ap.Head = bins[i]
			}
		}
	}
	var out []ABPackage
	for _, path := range order {
		p := byPath[path]
		// Drop packages without a benchmark on either side: running them only
		// costs time.
		hasBench := false
		for _, b := range []*ABBinary{p.Base, p.Head} {
			if b == nil {
				continue
			}
			ok, err := abHasBenchmarks(ctx, b)
			if err != nil {
				return nil, fmt.Errorf("listing benchmarks of %s: %w", path, err)
			}
			hasBench = hasBench || ok
		}
		if hasBench {
			out = append(out, *p)
		}
	}
	return out, nil
}

// abList lists the packages matching patterns in dir.
// With tolerant, packages that fail to load are skipped.
func abList(ctx context.Context, dir string, patterns []string, tolerant bool) ([]abListed, error) {
	const format = "{{.ImportPath}}\t{{.Dir}}\t{{len .TestGoFiles}}\t{{len .XTestGoFiles}}\t{{if .Error}}{{.Error}}{{end}}"
	args := append([]string{"list", "-e", "-f", format}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, userError(fmt.Sprintf("go list %s in %s: %s", strings.Join(patterns, " "), dir, summarizeOutput(stderr.String())), stderr.String(), err)
	}
	var pkgs []abListed
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
		pkgs = append(pkgs, abListed{importPath: f[0], dir: f[1], hasTests: f[2] != "0" || f[3] != "0"})
	}
	if len(pkgs) == 0 && !tolerant {
		return nil, userError(fmt.Sprintf("no packages match %s in %s", strings.Join(patterns, " "), dir), "", nil)
	}
	return pkgs, nil
}

// abHasBenchmarks reports whether the test binary defines any benchmark.
func abHasBenchmarks(ctx context.Context, b *ABBinary) (bool, error) {
	cmd := exec.CommandContext(ctx, b.Path, "-test.list", "^Benchmark")
	cmd.Dir = b.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return false, fmt.Errorf("%s -test.list: %w: %s", b.Path, err, summarizeOutput(string(out)))
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Benchmark") {
			return true, nil
		}
	}
	return false, nil
}

// ABRun runs the benchmarks of pkgs for o.Count rounds. Each round runs
// every binary of both sides once (-test.count=1, -test.benchmem), in a
// freshly shuffled order, so that drift in machine speed (thermal, other
// load) spreads evenly over base and head instead of biasing one of them.
func ABRun(ctx context.Context, pkgs []ABPackage, o ABOptions) ([]ABRunOutput, error) {
	if o.Count < 1 {
		return nil, errors.New("count must be at least 1")
	}
	shuffle := o.Shuffle
	if shuffle == nil {
		shuffle = rand.Shuffle
	}
	type job struct {
		pkg  string
		side string
		bin  *ABBinary
	}
	var jobs []job
	for _, p := range pkgs {
		if p.Base != nil {
			jobs = append(jobs, job{p.ImportPath, ABBase, p.Base})
		}
		if p.Head != nil {
			jobs = append(jobs, job{p.ImportPath, ABHead, p.Head})
		}
	}
	if len(jobs) == 0 {
		return nil, userError("no benchmarks to run", "", nil)
	}
	var outs []ABRunOutput
	for round := range o.Count {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "advisor: benchmark round %d/%d (%d runs)\n", round+1, o.Count, len(jobs))
		}
		shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
		for _, j := range jobs {
			out, err := abRunOnce(ctx, j.bin, o, "")
			if err != nil {
				return nil, fmt.Errorf("benchmarks of %s (%s, round %d): %w", j.pkg, j.side, round+1, err)
			}
			outs = append(outs, ABRunOutput{ImportPath: j.pkg, Side: j.side, Round: round, Output: out})
		}
	}
	return outs, nil
}

// ABProfile runs the head side of each package once more with a CPU
// profile and returns the profile paths. It is a separate run so that
// profiling overhead never skews the timed rounds of one side.
func ABProfile(ctx context.Context, pkgs []ABPackage, o ABOptions) ([]string, error) {
	var paths []string
	for i, p := range pkgs {
		if p.Head == nil {
			continue
		}
		prof := filepath.Join(o.WorkDir, "head-cpu-"+strconv.Itoa(i)+".pprof")
		if _, err := abRunOnce(ctx, p.Head, o, prof); err != nil {
			return nil, fmt.Errorf("profiling benchmarks of %s: %w", p.ImportPath, err)
		}
		if _, err := os.Stat(prof); err == nil {
			paths = append(paths, prof)
		}
	}
	return paths, nil
}

func abRunOnce(ctx context.Context, b *ABBinary, o ABOptions, cpuprofile string) ([]byte, error) {
	args := []string{"-test.run=^$", "-test.bench=" + o.Bench, "-test.count=1", "-test.benchmem"}
	if o.Benchtime != "" {
		args = append(args, "-test.benchtime="+o.Benchtime)
	}
	if cpuprofile != "" {
		args = append(args, "-test.cpuprofile="+cpuprofile)
	}
	cmd := exec.CommandContext(ctx, b.Path, args...)
	cmd.Dir = b.Dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		all := stdout.String() + stderr.String()
		return nil, userError(fmt.Sprintf("benchmark failed: %s", abFailure(all)), all, err)
	}
	return stdout.Bytes(), nil
}

// abFailure picks the informative lines of a failed test binary's output.
func abFailure(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "--- FAIL") || strings.HasPrefix(t, "panic:") || strings.Contains(t, "_test.go:") {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		return summarizeOutput(out)
	}
	return summarizeOutput(strings.Join(keep, "\n"))
}

// ABWorktree checks out rev of the git repository that contains dir into a
// new detached worktree at dst (which must not exist), leaving the user's
// checkout untouched. It returns the directory in the worktree that
// corresponds to dir, and a cleanup function that removes the worktree.
func ABWorktree(ctx context.Context, dir, rev, dst string) (subdir string, cleanup func() error, err error) {
	git := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return strings.TrimSpace(string(out)), nil
	}
	prefix, err := git("rev-parse", "--show-prefix")
	if err != nil {
		return "", nil, userError(fmt.Sprintf("%s is not in a git checkout (use --base-dir and --head-dir to compare two trees)", dir), "", err)
	}
	sha, err := git("rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", nil, userError(fmt.Sprintf("unknown git revision %q (fetch it first, e.g. git fetch origin main)", rev), "", err)
	}
	if _, err := git("worktree", "add", "--detach", dst, sha); err != nil {
		return "", nil, userError(fmt.Sprintf("creating a worktree of %s: %v", rev, err), "", err)
	}
	cleanup = func() error {
		if _, err := git("worktree", "remove", "--force", dst); err != nil {
			return err
		}
		_, err := git("worktree", "prune")
		return err
	}
	return filepath.Join(dst, filepath.FromSlash(prefix)), cleanup, nil
}
