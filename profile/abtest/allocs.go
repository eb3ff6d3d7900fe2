package abtest

import (
	"context"
	"errors"
	"fmt"
	"os"

	pprof "github.com/google/pprof/profile"

	"github.com/advisor-dev/advisor/profile"
)

// Allocs runs v once under advisor's profiling hook, recording every
// allocation, and returns the number of heap allocations (objects) of the
// run. The run is slower than a normal one.
func Allocs(ctx context.Context, v Variant, args []string) (float64, error) {
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
	res, err := profile.Run(ctx, profile.Options{
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
