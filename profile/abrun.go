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
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// CPUTime adds a cpu-ns/op measurement: each top-level benchmark runs
	// in its own process for a fixed number of iterations, and the
	// process's CPU time (user+sys, minus the cost of starting the binary)
	// is divided by the iterations. Unlike wall-clock ns/op it does not
	// count time spent waiting for a CPU, so it stays meaningful on an
	// oversubscribed machine (shared CI runners).
	CPUTime bool
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
	// Benchmarks are the top-level benchmarks that match the -bench
	// regexp (as -test.list prints them: "BenchmarkX").
	Benchmarks []string
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
			names, err := abListBenchmarks(ctx, b, o.Bench)
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

// abListBenchmarks returns the top-level benchmarks of the binary that the
// -bench regexp selects (its part before the first "/", as go test does).
func abListBenchmarks(ctx context.Context, b *ABBinary, bench string) ([]string, error) {
	cmd := exec.CommandContext(ctx, b.Path, "-test.list", "^Benchmark")
	cmd.Dir = b.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s -test.list: %w: %s", b.Path, err, summarizeOutput(string(out)))
	}
	topRE, _ := abSplitBench(bench)
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

// abSplitBench splits a -bench regexp into the part that applies to
// top-level names and the rest (starting with "/", or ""): the split is at
// the first "/" outside brackets and parentheses, as go test does.
func abSplitBench(re string) (top, sub string) {
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

// ABRun runs the benchmarks of pkgs for o.Count rounds. Each round runs
// every binary of both sides once (-test.count=1, -test.benchmem), in a
// freshly shuffled order, so that drift in machine speed (thermal, other
// load) spreads evenly over base and head instead of biasing one of them.
func ABRun(ctx context.Context, pkgs []ABPackage, o ABOptions) ([]ABRunOutput, error) {
	if o.Count < 1 {
		return nil, errors.New("count must be at least 1")
	}
	if o.CPUTime {
		return abRunCPU(ctx, pkgs, o)
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
	out, _, err := abExec(ctx, b, o.Bench, o.Benchtime, cpuprofile)
	return out, err
}

// abExec runs the binary's benchmarks once and returns its standard output
// and the CPU time the process used.
func abExec(ctx context.Context, b *ABBinary, bench, benchtime, cpuprofile string) ([]byte, time.Duration, error) {
	args := []string{"-test.run=^$", "-test.bench=" + bench, "-test.count=1", "-test.benchmem"}
	if benchtime != "" {
		args = append(args, "-test.benchtime="+benchtime)
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
		return nil, 0, userError(fmt.Sprintf("benchmark failed: %s", abFailure(all)), all, err)
	}
	return stdout.Bytes(), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
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

// abCPUUnit is the unit of the CPU-time measurement; the Unit line tells
// benchfmt readers that lower is better.
const (
	abCPUUnit     = "cpu-ns/op"
	abCPUUnitLine = "Unit cpu-ns/op better=lower\n"
)

// abProcsSuffix matches the -GOMAXPROCS suffix of a benchmark name.
var abProcsSuffix = regexp.MustCompile(`-\d+$`)

// abRunCPU is ABRun with one process per top-level benchmark and a fixed
// iteration count, adding a cpu-ns/op line to each run's output.
func abRunCPU(ctx context.Context, pkgs []ABPackage, o ABOptions) ([]ABRunOutput, error) {
	shuffle := o.Shuffle
	if shuffle == nil {
		shuffle = rand.Shuffle
	}
	type job struct {
		pkg, side, name string
		bench           string // -test.bench selecting just this benchmark
		bin             *ABBinary
		iters           int64
		overhead        time.Duration
	}
	var jobs []job
	for _, p := range pkgs {
		overhead := map[string]time.Duration{}
		sides := []struct {
			side string
			bin  *ABBinary
		}{{ABBase, p.Base}, {ABHead, p.Head}}
		for _, s := range sides {
			if s.bin == nil {
				continue
			}
			// The cost of starting the binary without running anything;
			// the minimum of a few runs is the least disturbed one.
			best := time.Duration(-1)
			for range 3 {
				_, cpu, err := abExec(ctx, s.bin, "^$", "", "")
				if err != nil {
					return nil, fmt.Errorf("starting tests of %s (%s): %w", p.ImportPath, s.side, err)
				}
				if best < 0 || cpu < best {
					best = cpu
				}
			}
			overhead[s.side] = best
		}
		calib := p.Head
		if calib == nil {
			calib = p.Base
		}
		_, sub := abSplitBench(o.Bench)
		for _, name := range abUnion(p.Base, p.Head) {
			calibSide := ABHead
			if calib == p.Base {
				calibSide = ABBase
			}
			iters, err := abCalibrate(ctx, calib, "^"+name+"$"+sub, o.Benchtime, overhead[calibSide])
			if err != nil {
				return nil, fmt.Errorf("calibrating %s in %s: %w", name, p.ImportPath, err)
			}
			if iters == 0 {
				continue // skipped or produced no result
			}
			for _, s := range sides {
				if s.bin != nil && slices.Contains(s.bin.Benchmarks, name) {
					jobs = append(jobs, job{p.ImportPath, s.side, name, "^" + name + "$" + sub, s.bin, iters, overhead[s.side]})
				}
			}
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
			out, cpu, err := abExec(ctx, j.bin, j.bench, strconv.FormatInt(j.iters, 10)+"x", "")
			if err != nil {
				return nil, fmt.Errorf("%s of %s (%s, round %d): %w", j.name, j.pkg, j.side, round+1, err)
			}
			work := cpu - j.overhead
			if work <= 0 {
				work = cpu
			}
			out = append(out, abCPULine(out, j.name, j.iters, work)...)
			outs = append(outs, ABRunOutput{ImportPath: j.pkg, Side: j.side, Round: round, Output: out})
		}
	}
	return outs, nil
}

// abCPULine formats the cpu-ns/op result of one run, named like the
// benchmark's own top-level result line (with its -GOMAXPROCS suffix).
func abCPULine(out []byte, name string, iters int64, cpu time.Duration) []byte {
	suffix := ""
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], name) {
			suffix = abProcsSuffix.FindString(f[0])
			break
		}
	}
	perOp := float64(cpu.Nanoseconds()) / float64(iters)
	return fmt.Appendf(nil, "%s%s%s \t%d\t%.6g %s\n", abCPUUnitLine, name, suffix, iters, perOp, abCPUUnit)
}

// abCalibrate returns the iteration count with which one benchmark (all its
// sub-benchmarks run that many iterations each) uses about benchtime of CPU.
// A first run estimates it from wall-clock ns/op; on a busy machine that
// overestimates the cost, so a second run with that count measures the CPU
// time and scales the count to it.
func abCalibrate(ctx context.Context, b *ABBinary, bench, benchtime string, overhead time.Duration) (int64, error) {
	if n, ok := strings.CutSuffix(benchtime, "x"); ok {
		return strconv.ParseInt(n, 10, 64)
	}
	d, err := time.ParseDuration(benchtime)
	if err != nil || benchtime == "" {
		d = time.Second // go test's default
	}
	out, _, err := abExec(ctx, b, bench, benchtime, "")
	if err != nil {
		return 0, err
	}
	// Sum ns/op over the benchmark's result lines: with N iterations each
	// sub-benchmark takes N × its ns/op.
	var total float64
	found := false
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		for i := 2; i+1 < len(f); i += 2 {
			if f[i+1] == "ns/op" {
				if v, err := strconv.ParseFloat(f[i], 64); err == nil && v > 0 {
					total += v
					found = true
				}
			}
		}
	}
	if !found {
		return 0, nil
	}
	n0 := max(1, int64(float64(d.Nanoseconds())/total))
	_, cpu, err := abExec(ctx, b, bench, strconv.FormatInt(n0, 10)+"x", "")
	if err != nil {
		return 0, err
	}
	work := cpu - overhead
	if work < time.Millisecond {
		// Too short to scale from reliably; the wall-clock estimate stands.
		return n0, nil
	}
	// Run for benchtime, but at least ten times the cost of starting the
	// binary, whose variation would otherwise swamp the measurement.
	d = max(d, 10*overhead)
	return max(1, int64(float64(n0)*float64(d)/float64(work))), nil
}

// abUnion lists the benchmarks of either side, base's order first.
func abUnion(a, b *ABBinary) []string {
	var out []string
	for _, bin := range []*ABBinary{a, b} {
		if bin == nil {
			continue
		}
		for _, n := range bin.Benchmarks {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}
