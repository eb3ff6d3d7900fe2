package profile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	pprof "github.com/google/pprof/profile"
)

// Variant is one build of a package for verifying a rewrite: the package
// as the user wrote it, with Overlay's files replacing theirs in the build
// only (go build -overlay), never on disk.
type Variant struct {
	// Dir is the directory in which Package is resolved.
	Dir string
	// Package is the package pattern, e.g. "./cmd/app".
	Package string
	// Overlay maps absolute file paths to their replacement content.
	Overlay map[string][]byte
	// PGO, if set, is a CPU profile for -pgo.
	PGO string
	// Tags and LDFlags are passed to the go command as -tags and -ldflags.
	Tags, LDFlags string
	// WorkDir receives the overlay files and the binary. It must exist.
	WorkDir string
}

// flags returns the go command's build flags for v, writing the overlay
// files into v.WorkDir.
func (v *Variant) flags() ([]string, error) {
	var flags []string
	if v.Tags != "" {
		flags = append(flags, "-tags", v.Tags)
	}
	if v.LDFlags != "" {
		flags = append(flags, "-ldflags", v.LDFlags)
	}
	if v.PGO != "" {
		flags = append(flags, "-pgo", v.PGO)
	}
	overlay, err := v.overlayFlags()
	return append(flags, overlay...), err
}

// overlayFlags writes v.Overlay's files into v.WorkDir and returns the
// -overlay flag for them (none without an overlay).
func (v *Variant) overlayFlags() ([]string, error) {
	if len(v.Overlay) == 0 {
		return nil, nil
	}
	dir, err := os.MkdirTemp(v.WorkDir, "overlay-")
	if err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	replace := map[string]string{}
	i := 0
	for path, content := range v.Overlay {
		i++
		f := filepath.Join(dir, strconv.Itoa(i)+"-"+filepath.Base(path))
		if err := os.WriteFile(f, content, 0o644); err != nil {
			return nil, fmt.Errorf("overlay: %w", err)
		}
		replace[path] = f
	}
	b, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	js := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(js, b, 0o644); err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	return []string{"-overlay", js}, nil
}

// goCmd runs the go command in v.Dir and returns its combined output.
func (v *Variant) goCmd(ctx context.Context, verb string, extra []string) (string, error) {
	flags, err := v.flags()
	if err != nil {
		return "", err
	}
	args := append(append([]string{verb}, flags...), extra...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = v.Dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// BuildVariant builds v's executable into v.WorkDir and returns its path.
// A compile error is a *UserError carrying the compiler's output.
func BuildVariant(ctx context.Context, v Variant, name string) (string, error) {
	bin := filepath.Join(v.WorkDir, name)
	out, err := v.goCmd(ctx, "build", []string{"-o", bin, v.Package})
	if err != nil {
		return "", userError("build failed: "+summarizeOutput(out), out, err)
	}
	return bin, nil
}

// BuildTestVariant builds the test binary of v's package (go test -c)
// into v.WorkDir and returns its path. A compile error is a *UserError.
func BuildTestVariant(ctx context.Context, v Variant, name string) (string, error) {
	bin := filepath.Join(v.WorkDir, name+".test")
	out, err := v.goCmd(ctx, "test", []string{"-c", "-o", bin, v.Package})
	if err != nil {
		return "", userError("building the tests failed: "+summarizeOutput(out), out, err)
	}
	if _, err := os.Stat(bin); err != nil {
		return "", userError(v.Package+" has no test files, so no benchmarks", out, err)
	}
	return bin, nil
}

// VetVariant runs go vet on v's packages (v.Package and pkgs).
func VetVariant(ctx context.Context, v Variant, pkgs ...string) error {
	v.LDFlags, v.PGO = "", "" // they do not change what vet sees
	out, err := v.goCmd(ctx, "vet", append([]string{v.Package}, pkgs...))
	if err != nil {
		return userError("go vet: "+summarizeOutput(out), out, err)
	}
	return nil
}

// TestVariant runs the tests of v's packages (v.Package and pkgs), with
// the race detector if race. ran is false when none of them has tests.
func TestVariant(ctx context.Context, v Variant, race bool, pkgs ...string) (ran bool, err error) {
	args := []string{"-count=1"}
	if race {
		args = append(args, "-race")
	}
	args = append(append(args, v.Package), pkgs...)
	out, err := v.goCmd(ctx, "test", args)
	if err != nil {
		return true, userError("tests fail: "+TestFailure(out), out, err)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ok ") || strings.HasPrefix(l, "ok\t") {
			return true, nil
		}
	}
	return false, nil
}

// RaceSupported reports whether the go command can build with -race here
// (it needs cgo and a C compiler).
func RaceSupported(ctx context.Context) bool {
	cmd := exec.CommandContext(ctx, "go", "env", "CGO_ENABLED")
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		return false
	}
	cc := exec.CommandContext(ctx, "go", "env", "CC")
	name, err := cc.Output()
	if err != nil {
		return false
	}
	_, err = exec.LookPath(strings.Fields(string(name) + " gcc")[0])
	return err == nil
}

// ABBinariesOptions configures interleaved runs of several executables.
type ABBinariesOptions struct {
	// Binaries are the executables; all run with the same Args in Dir.
	Binaries []string
	Args     []string
	Dir      string
	// Env is the environment; nil means the process's.
	Env []string
	// Rounds is the number of rounds; each round runs every binary once, in
	// a freshly shuffled order.
	Rounds int
	// Shuffle permutes each round's order; nil means math/rand/v2.Shuffle.
	Shuffle func(n int, swap func(i, j int))
	// Progress, if non-nil, is called after each round.
	Progress func(round, rounds int)
	// KeepOutput keeps the standard output of every run in
	// ABBinariesResult.Outputs (for benchmark results).
	KeepOutput bool
}

// ABBinariesResult holds the wall-clock seconds of every completed run.
type ABBinariesResult struct {
	// Seconds[i] are the times of Binaries[i], one per completed round.
	Seconds [][]float64
	// Output[i] is the standard output of Binaries[i] in the first round.
	Output [][]byte
	// Outputs[i][r] is the standard output of Binaries[i] in round r, with
	// KeepOutput.
	Outputs [][][]byte
	// Stopped reports that ctx ended before all rounds ran (the budget);
	// the rounds completed before are kept.
	Stopped bool
}

// ABBinaries runs the binaries o.Rounds times each, interleaved: every round
// runs each binary once in shuffled order, so that drift in the machine's
// speed affects all of them alike. A run that exits non-zero is an error;
// when ctx ends, the rounds completed so far are returned.
func ABBinaries(ctx context.Context, o ABBinariesOptions) (*ABBinariesResult, error) {
	if len(o.Binaries) == 0 || o.Rounds < 1 {
		return nil, errors.New("ab: need binaries and at least one round")
	}
	shuffle := o.Shuffle
	if shuffle == nil {
		shuffle = rand.Shuffle
	}
	res := &ABBinariesResult{Seconds: make([][]float64, len(o.Binaries)), Output: make([][]byte, len(o.Binaries))}
	if o.KeepOutput {
		res.Outputs = make([][][]byte, len(o.Binaries))
	}
	order := make([]int, len(o.Binaries))
	for i := range order {
		order[i] = i
	}
	for round := range o.Rounds {
		shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		times := make([]float64, len(o.Binaries))
		outs := make([][]byte, len(o.Binaries))
		for _, b := range order {
			var stdout, stderr bytes.Buffer
			cmd := exec.CommandContext(ctx, o.Binaries[b], o.Args...)
			cmd.Dir, cmd.Env = o.Dir, o.Env
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			err := cmd.Run()
			elapsed := time.Since(start)
			if ctx.Err() != nil {
				res.Stopped = true
				return res, nil
			}
			if err != nil {
				return nil, userError(fmt.Sprintf("%s failed in round %d: %v: %s", filepath.Base(o.Binaries[b]), round+1, err, summarizeOutput(stderr.String())), stderr.String(), err)
			}
			times[b] = elapsed.Seconds()
			outs[b] = stdout.Bytes()
			if round == 0 {
				res.Output[b] = stdout.Bytes()
			}
		}
		for b, t := range times {
			res.Seconds[b] = append(res.Seconds[b], t)
			if o.KeepOutput {
				res.Outputs[b] = append(res.Outputs[b], outs[b])
			}
		}
		if o.Progress != nil {
			o.Progress(round+1, o.Rounds)
		}
	}
	return res, nil
}

// AllocsOf runs v once under advisor's profiling hook, recording every
// allocation, and returns the number of heap allocations (objects) of the
// run. The run is slower than a normal one.
func AllocsOf(ctx context.Context, v Variant, args []string) (float64, error) {
	flags, err := v.overlayFlags()
	if err != nil {
		return 0, err
	}
	if v.PGO != "" {
		flags = append(flags, "-pgo", v.PGO)
	}
	out, err := os.MkdirTemp(v.WorkDir, "allocs-")
	if err != nil {
		return 0, fmt.Errorf("allocs: %w", err)
	}
	res, err := Run(ctx, Options{
		Dir: v.Dir, Package: v.Package, Args: args, Tags: v.Tags, LDFlags: v.LDFlags, BuildFlags: flags,
		OutDir: out, TraceLimit: 1 << 20,
		// Every allocation is recorded (not one per 512 KiB, whose
		// estimates swing by tens of thousands for small objects), and
		// since the profile covers allocations up to the last completed
		// garbage collection, collecting all the time leaves little out.
		Env: append(os.Environ(), "GOGC=1", "GODEBUG=memprofilerate=1"),
	})
	if err != nil {
		return 0, fmt.Errorf("allocs: %w", err)
	}
	if res.AllocsProfile == "" {
		return 0, errors.New("allocs: the run left no allocs profile")
	}
	f, err := os.Open(res.AllocsProfile)
	if err != nil {
		return 0, fmt.Errorf("allocs: %w", err)
	}
	defer f.Close()
	p, err := pprof.Parse(f)
	if err != nil {
		return 0, fmt.Errorf("allocs: %s: %w", res.AllocsProfile, err)
	}
	col := -1
	for i, st := range p.SampleType {
		if st.Type == "alloc_objects" {
			col = i
		}
	}
	if col < 0 {
		return 0, errors.New("allocs: the profile has no alloc_objects")
	}
	total := 0.0
	for _, s := range p.Sample {
		total += float64(s.Value[col])
	}
	return total, nil
}
