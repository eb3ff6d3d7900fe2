package advise

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/google/pprof/profile"
)

// Site is a place in source code: a file (relative to the module root when
// it lies inside it) and a line.
type Site struct {
	File string
	Line int
}

// Weight is an amount of profile value spent at a place: Flat when the place
// is the innermost frame of a sample, Cum when it is anywhere on the stack
// (counted once per sample, however often recursion repeats it).
type Weight struct {
	Flat, Cum int64
}

// SampleIndex summarizes a CPU profile by function and by source line, with
// inlined frames expanded, so that findings and hot paths can be looked up
// by place. Build it with IndexProfile.
type SampleIndex struct {
	// Total is the sum of the indexed value column over all samples.
	Total int64
	// Samples is the number of profiler samples with a non-zero value:
	// the "samples" column when the profile has one (the Go runtime
	// aggregates identical stacks into one pprof sample with a count),
	// else the number of pprof samples.
	Samples int64
	// Unit is the indexed column's "type/unit", e.g. "cpu/nanoseconds".
	Unit string

	funcs map[string]Weight
	lines map[Site]Weight
	// callers maps a function to the call sites (in other functions) that
	// call it, weighted by value: where the loop around a hot function is.
	callers map[string]map[callSite]int64
	// allocCum is, per line, the value of samples that allocate below it
	// (runtime.mallocgc on the stack).
	allocCum map[Site]int64
	// growCum is, per function, the value of samples that grow the stack
	// below it (runtime.newstack/morestack/copystack).
	growCum map[string]int64
	// gc is the value of samples doing garbage collection work.
	gc int64
	// alloc is the value of samples inside runtime.mallocgc.
	alloc int64
}

// callSite is a call from function Func at Site.
type callSite struct {
	Func string
	Site
}

// Runtime functions whose presence on a stack is a signal.
var (
	stackGrowthFuncs = []string{"runtime.newstack", "runtime.morestack", "runtime.copystack"}
	gcFuncs          = []string{"runtime.gcBgMarkWorker", "runtime.gcAssistAlloc", "runtime.gcDrain", "runtime.bgsweep", "runtime.markroot"}
	allocFuncs       = []string{"runtime.mallocgc"}
)

// IndexProfile indexes the CPU time of p by function and line. File names
// inside moduleDir are made relative to it (with forward slashes) so that
// they compare equal to findings' files; an empty moduleDir keeps them as
// recorded. The value column is "cpu" if present, else the last one.
func IndexProfile(p *profile.Profile, moduleDir string) (*SampleIndex, error) {
	if p == nil {
		return nil, errors.New("index profile: no profile")
	}
	if len(p.SampleType) == 0 {
		return nil, errors.New("index profile: profile has no sample types")
	}
	col, err := p.SampleIndexByName("cpu")
	if err != nil {
		col = len(p.SampleType) - 1
	}
	countCol, err := p.SampleIndexByName("samples")
	if err != nil {
		countCol = -1 // no count column: each sample counts once
	}
	ix := &SampleIndex{
		Unit:     p.SampleType[col].Type + "/" + p.SampleType[col].Unit,
		funcs:    map[string]Weight{},
		lines:    map[Site]Weight{},
		callers:  map[string]map[callSite]int64{},
		allocCum: map[Site]int64{},
		growCum:  map[string]int64{},
	}
	if moduleDir != "" {
		abs, err := filepath.Abs(moduleDir)
		if err != nil {
			return nil, fmt.Errorf("index profile: module dir: %w", err)
		}
		moduleDir = abs
	}
	b := newIndexBuilder(moduleDir, len(p.Location))
	for i, s := range p.Sample {
		if col >= len(s.Value) || s.Value[col] <= 0 {
			continue
		}
		v := s.Value[col]
		ix.Total += v
		if countCol >= 0 && countCol < len(s.Value) {
			ix.Samples += max(s.Value[countCol], 0)
		} else {
			ix.Samples++
		}
		b.add(s, v, int32(i+1))
	}
	b.build(ix)
	return ix, nil
}

// relFile returns name relative to moduleDir with forward slashes when it
// lies inside moduleDir, and name (slash-separated) otherwise.
func relFile(name, moduleDir string) string {
	if moduleDir != "" && filepath.IsAbs(name) {
		if rel, err := filepath.Rel(moduleDir, name); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(name)
}

// Func returns the weight of the function named as pprof names it ("main.fib").
func (ix *SampleIndex) Func(name string) Weight {
	if ix == nil {
		return Weight{}
	}
	return ix.funcs[name]
}

// Line returns the weight at file:line. file is matched exactly, or, when the
// profile recorded paths outside the module dir (or no module dir was given),
// as a trailing path of the recorded name ("main.go" matches
// "/src/prog/main.go"; "x/main.go" does not match "/src/prog/xx/main.go").
func (ix *SampleIndex) Line(file string, line int) Weight {
	if ix == nil || file == "" || line <= 0 {
		return Weight{}
	}
	if w, ok := ix.lines[Site{file, line}]; ok {
		return w
	}
	var best Weight
	for s, w := range ix.lines {
		if s.Line == line && strings.HasSuffix(s.File, "/"+file) && w.Cum > best.Cum {
			best = w
		}
	}
	return best
}

// allocAt returns the value of samples that allocate below file:line.
func (ix *SampleIndex) allocAt(file string, line int) int64 {
	if ix == nil {
		return 0
	}
	if v, ok := ix.allocCum[Site{file, line}]; ok {
		return v
	}
	for s, v := range ix.allocCum {
		if s.Line == line && strings.HasSuffix(s.File, "/"+file) {
			return v
		}
	}
	return 0
}

// SampledDir reports whether any sample has a line in a file of dir (slash
// separated, matched like Line's file: exactly, or as a trailing path of a
// name recorded outside the module dir). A finding in a directory the
// profile never sampled is not cold: the profile did not cover its package.
func (ix *SampleIndex) SampledDir(dir string) bool {
	if ix == nil {
		return false
	}
	for s := range ix.lines {
		d := path.Dir(s.File)
		if d == dir || strings.HasSuffix(d, "/"+dir) {
			return true
		}
	}
	return false
}

// Fraction returns v as a fraction of the profile's total (0 for an empty profile).
func (ix *SampleIndex) Fraction(v int64) float64 {
	if ix == nil || ix.Total <= 0 {
		return 0
	}
	return float64(v) / float64(ix.Total)
}

// StackGrowth returns the fraction of samples growing the stack below fn.
func (ix *SampleIndex) StackGrowth(fn string) float64 {
	if ix == nil {
		return 0
	}
	return ix.Fraction(ix.growCum[fn])
}

// GC returns the fraction of samples doing garbage-collection work.
func (ix *SampleIndex) GC() float64 { return ix.Fraction(ix.gcValue()) }

func (ix *SampleIndex) gcValue() int64 {
	if ix == nil {
		return 0
	}
	return ix.gc
}

// TopCaller returns the call site that most often calls fn from another
// function, and false if the profile never saw fn called.
func (ix *SampleIndex) TopCaller(fn string) (caller string, at Site, ok bool) {
	return ix.TopCallerFrom(fn, nil)
}

// TopCallerFrom is TopCaller among the callers for which from returns true
// (all callers when from is nil): e.g. only the target's own functions,
// not runtime.main calling main.main.
func (ix *SampleIndex) TopCallerFrom(fn string, from func(caller string) bool) (caller string, at Site, ok bool) {
	if ix == nil {
		return "", Site{}, false
	}
	var best callSite
	var bestV int64
	for cs, v := range ix.callers[fn] {
		if from != nil && !from(cs.Func) {
			continue
		}
		// Ties break by name and line so the result is deterministic.
		if v > bestV || v == bestV && bestV > 0 && cmp.Or(cmp.Compare(cs.Func, best.Func), cmp.Compare(cs.File, best.File), cmp.Compare(cs.Line, best.Line)) < 0 {
			best, bestV = cs, v
		}
	}
	return best.Func, best.Site, bestV > 0
}
