package abtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/advisor-dev/advisor/profile"
	pprof "github.com/google/pprof/profile"
)

// job is one process to run once per round: one side of one package (or of
// one benchmark of it, when measuring CPU time).
type job struct {
	pkg, side string
	what      string // what the process runs, for errors: "benchmarks" or a benchmark name
	run       func(ctx context.Context) ([]byte, error)
}

// rounds runs every job once per round for o.Count rounds, in a freshly
// shuffled order each round, and returns the outputs in the order they ran.
// It is the one round loop of both ways of measuring (Run and runCPU).
func rounds(ctx context.Context, o Options, jobs []job) ([]RunOutput, error) {
	if len(jobs) == 0 {
		return nil, userError("no benchmarks to run", "", nil)
	}
	shuffle := o.Shuffle
	if shuffle == nil {
		shuffle = rand.Shuffle
	}
	var outs []RunOutput
	for round := range o.Count {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "advisor: benchmark round %d/%d (%d runs)\n", round+1, o.Count, len(jobs))
		}
		shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
		for _, j := range jobs {
			out, err := j.run(ctx)
			if err != nil {
				return nil, fmt.Errorf("%s of %s (%s, round %d): %w", j.what, j.pkg, j.side, round+1, err)
			}
			outs = append(outs, RunOutput{ImportPath: j.pkg, Side: j.side, Round: round, Output: out})
		}
	}
	return outs, nil
}

// Run runs the benchmarks of pkgs for o.Count rounds. Each round runs
// every binary of both sides once (-test.count=1, -test.benchmem), in a
// freshly shuffled order, so that drift in machine speed (thermal, other
// load) spreads evenly over base and head instead of biasing one of them.
func Run(ctx context.Context, pkgs []Package, o Options) ([]RunOutput, error) {
	if o.Count < 1 {
		return nil, errors.New("count must be at least 1")
	}
	if o.CPUTime {
		return runCPU(ctx, pkgs, o)
	}
	var jobs []job
	for _, p := range pkgs {
		for _, s := range []struct {
			side string
			bin  *Binary
		}{{Base, p.Base}, {Head, p.Head}} {
			if s.bin == nil {
				continue
			}
			jobs = append(jobs, job{pkg: p.ImportPath, side: s.side, what: "benchmarks", run: func(ctx context.Context) ([]byte, error) {
				return runOnce(ctx, s.bin, o, "")
			}})
		}
	}
	return rounds(ctx, o, jobs)
}

// minProfileSamples is how many CPU samples Profile wants of a package's
// benchmarks before it stops: short benchtimes on a busy machine can leave
// a run with a handful, none of them on the line of a new finding.
const (
	minProfileSamples = 50
	maxProfileRuns    = 5
)

// Profile runs the head side of each package once more with a CPU
// profile (again, up to maxProfileRuns runs, until the package's profiles
// hold minProfileSamples samples) and returns the profile paths. It is a
// separate run so that profiling overhead never skews the timed rounds of
// one side.
func Profile(ctx context.Context, pkgs []Package, o Options) ([]string, error) {
	var paths []string
	for i, p := range pkgs {
		if p.Head == nil {
			continue
		}
		samples := int64(0)
		for run := 0; run < maxProfileRuns && samples < minProfileSamples; run++ {
			prof := filepath.Join(o.WorkDir, "head-cpu-"+strconv.Itoa(i)+"-"+strconv.Itoa(run)+".pprof")
			if _, err := runOnce(ctx, p.Head, o, prof); err != nil {
				return nil, fmt.Errorf("profiling benchmarks of %s: %w", p.ImportPath, err)
			}
			if _, err := os.Stat(prof); err != nil {
				break // the binary wrote none: running it again will not either
			}
			paths = append(paths, prof)
			samples += profileSamples(prof)
		}
	}
	return paths, nil
}

// profileSamples is the number of samples in a CPU profile file (0 when it
// does not parse: the caller reports that when it reads the file).
func profileSamples(file string) int64 {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	p, err := pprof.Parse(f)
	if err != nil {
		return 0
	}
	col, err := p.SampleIndexByName("samples")
	n := int64(0)
	for _, s := range p.Sample {
		if err != nil || col >= len(s.Value) {
			n++
			continue
		}
		n += s.Value[col]
	}
	return n
}

func runOnce(ctx context.Context, b *Binary, o Options, cpuprofile string) ([]byte, error) {
	out, _, err := execBench(ctx, b, o.Bench, o.Benchtime, cpuprofile)
	return out, err
}

// execBench runs the binary's benchmarks once and returns its standard output
// and the CPU time the process used.
func execBench(ctx context.Context, b *Binary, bench, benchtime, cpuprofile string) ([]byte, time.Duration, error) {
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
		return nil, 0, userError(fmt.Sprintf("benchmark failed: %s", profile.TestFailure(all)), all, err)
	}
	return stdout.Bytes(), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// cpuUnit is the unit of the CPU-time measurement; the Unit line tells
// benchfmt readers that lower is better.
const (
	cpuUnit     = "cpu-ns/op"
	cpuUnitLine = "Unit cpu-ns/op better=lower\n"
)

// procsSuffix matches the -GOMAXPROCS suffix of a benchmark name.
var procsSuffix = regexp.MustCompile(`-\d+$`)

// runCPU is Run with one process per top-level benchmark and a fixed
// iteration count, adding a cpu-ns/op line to each run's output.
func runCPU(ctx context.Context, pkgs []Package, o Options) ([]RunOutput, error) {
	var jobs []job
	for _, p := range pkgs {
		overhead := map[string]time.Duration{}
		sides := []struct {
			side string
			bin  *Binary
		}{{Base, p.Base}, {Head, p.Head}}
		for _, s := range sides {
			if s.bin == nil {
				continue
			}
			// The cost of starting the binary without running anything;
			// the minimum of a few runs is the least disturbed one.
			best := time.Duration(-1)
			for range 3 {
				_, cpu, err := execBench(ctx, s.bin, "^$", "", "")
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
		_, sub := splitBench(o.Bench)
		for _, name := range union(p.Base, p.Head) {
			calibSide := Head
			if calib == p.Base {
				calibSide = Base
			}
			iters, err := calibrate(ctx, calib, "^"+name+"$"+sub, o.Benchtime, overhead[calibSide])
			if err != nil {
				return nil, fmt.Errorf("calibrating %s in %s: %w", name, p.ImportPath, err)
			}
			if iters == 0 {
				continue // skipped or produced no result
			}
			for _, s := range sides {
				if s.bin != nil && slices.Contains(s.bin.Benchmarks, name) {
					jobs = append(jobs, cpuJob(p.ImportPath, s.side, name, "^"+name+"$"+sub, s.bin, iters, overhead[s.side]))
				}
			}
		}
	}
	return rounds(ctx, o, jobs)
}

// cpuJob runs one benchmark (bench selects just it) for a fixed iters
// iterations and appends its cpu-ns/op line: the process's CPU time minus
// the overhead of starting the binary.
func cpuJob(pkg, side, name, bench string, bin *Binary, iters int64, overhead time.Duration) job {
	return job{pkg: pkg, side: side, what: name, run: func(ctx context.Context) ([]byte, error) {
		out, cpu, err := execBench(ctx, bin, bench, strconv.FormatInt(iters, 10)+"x", "")
		if err != nil {
			return nil, err
		}
		work := cpu - overhead
		if work <= 0 {
			work = cpu
		}
		return append(out, cpuLine(out, name, iters, work)...), nil
	}}
}

// cpuLine formats the cpu-ns/op result of one run, named like the
// benchmark's own top-level result line (with its -GOMAXPROCS suffix).
func cpuLine(out []byte, name string, iters int64, cpu time.Duration) []byte {
	suffix := ""
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], name) {
			suffix = procsSuffix.FindString(f[0])
			break
		}
	}
	perOp := float64(cpu.Nanoseconds()) / float64(iters)
	return fmt.Appendf(nil, "%s%s%s \t%d\t%.6g %s\n", cpuUnitLine, name, suffix, iters, perOp, cpuUnit)
}

// calibrate returns the iteration count with which one benchmark (all its
// sub-benchmarks run that many iterations each) uses about benchtime of CPU.
// A first run estimates it from wall-clock ns/op; on a busy machine that
// overestimates the cost, so a second run with that count measures the CPU
// time and scales the count to it.
func calibrate(ctx context.Context, b *Binary, bench, benchtime string, overhead time.Duration) (int64, error) {
	if n, ok := strings.CutSuffix(benchtime, "x"); ok {
		return strconv.ParseInt(n, 10, 64)
	}
	d, err := time.ParseDuration(benchtime)
	if err != nil || benchtime == "" {
		d = time.Second // go test's default
	}
	out, _, err := execBench(ctx, b, bench, benchtime, "")
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
	_, cpu, err := execBench(ctx, b, bench, strconv.FormatInt(n0, 10)+"x", "")
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

// union lists the benchmarks of either side, base's order first.
func union(a, b *Binary) []string {
	var out []string
	for _, bin := range []*Binary{a, b} {
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
