package analyze

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

// ParseCPUProfile reads a CPU profile (gzipped or plain pprof protobuf, as
// written by runtime/pprof.StartCPUProfile or go test -cpuprofile). Empty,
// corrupt and non-CPU profiles give a one-line error.
func ParseCPUProfile(r io.Reader) (*profile.Profile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read CPU profile: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("CPU profile is empty (did the target exit before the profile was written?)")
	}
	p, err := profile.ParseData(data)
	if err != nil {
		return nil, fmt.Errorf("CPU profile is corrupt or not a pprof profile: %s", attrOneLine(err.Error()))
	}
	if attrCPUValueIndex(p) < 0 {
		var types []string
		for _, st := range p.SampleType {
			types = append(types, st.Type+"/"+st.Unit)
		}
		return nil, fmt.Errorf("not a CPU profile: sample types are [%s], want cpu/nanoseconds", strings.Join(types, " "))
	}
	return p, nil
}

// attrCPUValueIndex returns the index of the cpu/nanoseconds sample value, or
// -1. pprof finds the column by type; the unit is checked here because a
// "cpu" column counted in anything but nanoseconds would be misread as time.
func attrCPUValueIndex(p *profile.Profile) int {
	i, err := p.SampleIndexByName("cpu")
	if err != nil || p.SampleType[i].Unit != "nanoseconds" {
		return -1
	}
	return i
}

// attrInfraEntry reports whether a goroutine starting in fn exists for the
// runtime or for profile collection rather than for the program's work:
// runtime system goroutines (the rule of runtime.isSystemGoroutine), the
// tracer's and the CPU profiler's goroutines, and the signal-forwarding loop
// (which sits in a syscall for the program's whole life).
func attrInfraEntry(fn string) bool {
	switch {
	case fn == "runtime.main", strings.HasPrefix(fn, "runtime.doInit"):
		// The main goroutine: named by its first stack, which is the
		// package initialization when the hook starts tracing in init.
		return false
	case strings.HasPrefix(fn, "runtime."),
		strings.HasPrefix(fn, "runtime/trace."),
		strings.HasPrefix(fn, "runtime/pprof."),
		fn == "os/signal.loop":
		return true
	}
	return false
}

// attrPprofFrames returns a sample's frames innermost first, inlined frames
// expanded, without the runtime.goexit frame that ends goroutine stacks.
func attrPprofFrames(s *profile.Sample) []attrFrame {
	var fs []attrFrame
	for _, loc := range s.Location {
		for _, ln := range loc.Line {
			f := attrFrame{line: int(ln.Line)}
			if ln.Function != nil {
				f.fn, f.file = ln.Function.Name, ln.Function.Filename
			}
			fs = append(fs, f)
		}
	}
	if n := len(fs); n > 0 && fs[n-1].fn == "runtime.goexit" {
		fs = fs[:n-1]
	}
	return fs
}

// cpuWeights splits a CPU profile by site and state (cpu or gc), leaving out
// samples of the hook and of infrastructure goroutines. It also records
// recursion depths. total is the included CPU time in nanoseconds.
func (a *attributor) cpuWeights(p *profile.Profile) (w map[int]*attrDurations, total float64) {
	vi := attrCPUValueIndex(p)
	w = make(map[int]*attrDurations)
	if vi < 0 {
		return w, 0
	}
	for _, s := range p.Sample {
		if vi >= len(s.Value) || s.Value[vi] <= 0 {
			continue
		}
		fs := attrPprofFrames(s)
		si := a.stackInfo(fs)
		if si.hook || attrInfraEntry(si.entry) {
			continue
		}
		state := si.cpuState
		d := w[si.site]
		if d == nil {
			d = new(attrDurations)
			w[si.site] = d
		}
		v := float64(s.Value[vi])
		d[state] += v
		total += v
		a.addDepths(si.depths)
	}
	return w, total
}

// fromCPUProfile attributes on-CPU time from the CPU profile alone.
func (a *attributor) fromCPUProfile(p *profile.Profile) {
	a.cpuOnly = true
	w, total := a.cpuWeights(p)
	for s, d := range w {
		a.addTime(s, d)
	}
	a.cpuNanos = total
	a.cpuSamples, _ = a.cpuTotal(p)
	if p.DurationNanos > 0 {
		a.wall = time.Duration(p.DurationNanos)
	}
}

// cpuTotal returns the CPU profile's sample count and CPU time, outside
// the hook: the run's CPU seconds (background GC workers included: their
// CPU is the program's cost).
func (a *attributor) cpuTotal(p *profile.Profile) (n int64, nanos float64) {
	vi := attrCPUValueIndex(p)
	if vi < 0 {
		return 0, 0
	}
	for _, s := range p.Sample {
		if vi >= len(s.Value) || s.Value[vi] <= 0 {
			continue
		}
		if si := a.stackInfo(attrPprofFrames(s)); si.hook {
			continue
		}
		c := int64(1)
		if vi > 0 && s.Value[0] > 0 {
			c = s.Value[0] // samples/count
		}
		n += c
		nanos += float64(s.Value[vi])
	}
	return n, nanos
}
