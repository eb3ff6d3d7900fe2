package analyze

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/advisor-dev/advisor/analyze/critpath"
	"github.com/advisor-dev/advisor/analyze/report"

	"github.com/google/pprof/profile"
)

// DefaultHookPrefix is the name prefix of the functions advisor injects into
// the target's main package (profile's 0000_advisor_hook.go). Their frames are
// never the target's own code, and goroutines they start are not its work.
const DefaultHookPrefix = "main.advisorHook"

// DefaultMaxHotpaths is the number of hot paths Attribute reports when
// AttributeOptions.MaxHotpaths is zero.
const DefaultMaxHotpaths = 10

// AttributeOptions are the inputs of Attribute.
type AttributeOptions struct {
	// CPU is the target's CPU profile (see ParseCPUProfile). It may be nil.
	// With a trace, the trace's own CPU samples are preferred (they know the
	// goroutine); CPU is used when the trace has none.
	CPU *profile.Profile

	// Trace is the target's runtime/trace output. It may be nil: then only
	// on-CPU time is attributed and Report.Errors says so. A trace that ends
	// early (the target crashed or was killed) gives a partial result and a
	// warning in Report.Errors.
	Trace io.Reader

	// OwnCode reports whether a frame (fully qualified function name and its
	// file as recorded in the binary) is the target's own code. When nil,
	// own code is package main, functions of ModulePath and its
	// subpackages, and files under ModuleDir outside its vendor directory.
	// Hook frames (HookPrefix, methods of its types, anything in the hook
	// file), cgo's generated wrappers and generated _testmain.go frames are
	// never own code, whatever OwnCode says.
	OwnCode func(function, file string) bool

	// OwnPatterns are package patterns (as the go command takes them:
	// "github.com/yuin/goldmark/..." or an exact import path) whose code
	// counts as the target's own too (the CLI's --own): time spent in a
	// dependency the user wants to look into.
	OwnPatterns []string

	// ModulePath is the target's module path (e.g. "example.com/prog"),
	// used by the default OwnCode and to shorten -trimpath file names.
	ModulePath string

	// ModuleDir is the target module's root directory. File names in the
	// report are relative to it, with forward slashes.
	ModuleDir string

	// HookPrefix is the name prefix of the advisor hook's functions;
	// DefaultHookPrefix when empty.
	HookPrefix string

	// GOMAXPROCS overrides what the trace says (or supplies it when there
	// is no trace). Zero means unknown.
	GOMAXPROCS int

	// Wall is the run's wall time, if known from elsewhere (the trace
	// spans less than the run when it was size-limited, or it starts
	// after process start). Zero means: the time the trace spans, or the
	// CPU profile's duration without a trace. When the trace spans less
	// than Wall and CPU is given, CPU seconds and cores used come from the
	// CPU profile, which covers the whole run, and Report.Errors says that
	// the breakdown describes the traced window only.
	Wall time.Duration

	// Window says the trace is a collection window of a running process
	// (--from, --seconds, a run cut by --timeout or Ctrl-C) with no single
	// end. A server's window is attributed per request: each request's
	// own critical path, from its end back to its start (net/http's
	// requests, or the program's runtime/trace tasks when it defines
	// any); waiting for the next request is idle, and a server that
	// served none and hardly ran is ClassIdle. A window of a program that
	// serves nothing is walked back from its busiest goroutine (most CPU
	// samples) instead of the main goroutine, which may only wait.
	Window bool

	// MaxHotpaths caps the number of hot paths; DefaultMaxHotpaths when 0,
	// no cap when negative.
	MaxHotpaths int
}

// Attribute attributes the target's wall time along the critical path of
// its run to states and to the innermost frames of its own code, and
// classifies the program and its hot paths. It returns a report with Target
// (WallSeconds, CPUSeconds, CPUSamples, GOMAXPROCS), Summary, Hotpaths,
// Background and Errors filled in; the caller adds the rest.
//
// Accounting (docs/report-schema.md, "Accounting"), from the trace:
//
//   - The path (analyze/critpath) is walked back from the end of the run on
//     the main goroutine (or the goroutine that stopped the trace while
//     main waited in the testing harness). Running segments are split over
//     the CPU samples their goroutine took in them (innermost own-code
//     frame; CPU in a GC assist, spinning on a mutex or in system call
//     wrappers counts as gc, lock or syscall); waits and system calls go
//     to the innermost own frame of their stack; runnable time is sched,
//     placed by what the program's other goroutines ran meanwhile.
//   - Time on a waker with no own frame (net/http's connection goroutine
//     reading a response) counts at the own-code wait the path followed
//     into it (the http.Get). Computing inside a function whose mutex other
//     goroutines queue on is lock time at the Lock call that waited.
//   - Left out: untraced gaps, and everything of the hook (HookPrefix: its
//     frames and the goroutines it starts). Goroutines never on the path are
//     Background.
//
// Shares and breakdowns are fractions of the path's time. CPU seconds are
// CPU samples: the trace's own (outside the hook) at the CPU profile's
// period, else the profile's total; never the trace's running time; a large gap between the two is reported as a busy
// machine. Hot paths are merged per function: the line is the one holding
// most of the function's time, the stack (own frames, outermost first,
// direct recursion collapsed) the call path holding most of it, MaxDepth
// the most frames of the function seen in one stack (0 if never more than
// one), InFlight the goroutines doing the same at once.
//
// Without a trace only on-CPU time is attributed (Summary.Accounting
// "cpu"). Attribute fails only when neither input is usable: no input at
// all, or a trace that is empty or unreadable up to its first complete
// generation with no CPU profile to fall back on. Problems it can work
// around go to Report.Errors as one-line warnings.
func Attribute(o AttributeOptions) (*report.Report, error) {
	r, _, err := AttributeModel(o)
	return r, err
}

// AttributeModel is Attribute that also returns the model of the run (the
// trace's happens-before graph and critical path) for advise.Options.Model;
// the model is nil without a usable trace.
func AttributeModel(o AttributeOptions) (*report.Report, *Model, error) {
	if o.CPU == nil && o.Trace == nil {
		return nil, nil, fmt.Errorf("attribute: no CPU profile and no trace to attribute")
	}
	if o.HookPrefix == "" {
		o.HookPrefix = DefaultHookPrefix
	}
	a := newAttributor(&o)
	if o.Trace != nil {
		// readGraph fails only when it could read nothing at all.
		g, err := a.readGraph(o.Trace)
		if err == nil {
			err = a.fromGraph(g)
		}
		if err != nil {
			if o.CPU == nil {
				return nil, nil, err
			}
			a.warnf("%v; falling back to the CPU profile: waiting time is not measured", err)
			a.reset()
			a.fromCPUProfile(o.CPU)
		}
	} else {
		a.warnf("no execution trace: the breakdown covers on-CPU time only; waiting (I/O, locks, channels, sleep) is not measured")
		a.fromCPUProfile(o.CPU)
	}
	r := a.report()
	var m *Model
	if a.graph != nil {
		m = &Model{g: a.graph, path: a.path, busy: a.busy, hook: a.cp.hookG, cp: a.cp, reqs: a.reqs}
	}
	return r, m, nil
}

// Hot-path states, as indices into a per-state array in States order.
const (
	attrCPU = iota
	attrNetwork
	attrSyscall
	attrLock
	attrChannel
	attrSelect
	attrSleep
	attrGC
	attrSched
	attrNStates
)

var attrStateNames = [attrNStates]string{report.StateCPU, report.StateNetwork, report.StateSyscall, report.StateLock, report.StateChannel, report.StateSelect, report.StateSleep, report.StateGC, report.StateSched}

// attrDurations is time in nanoseconds per state.
type attrDurations [attrNStates]float64

func (d *attrDurations) add(o *attrDurations) {
	for i := range d {
		d[i] += o[i]
	}
}

func (d *attrDurations) sum() float64 {
	s := 0.0
	for _, v := range d {
		s += v
	}
	return s
}

// frame is one stack frame, from either input.
type attrFrame struct {
	fn, file string
	line     int
}

// site is a place in the target's own code: its innermost own frame and the
// own-code call path to it (outermost first, direct recursion collapsed).
type attrSite struct {
	fn, file string
	line     int
	stack    []string
}

// attrNoSite marks time with no own-code frame (e.g. net/http's transport
// goroutines): it counts in the summary but in no hot path.
const attrNoSite = -1

// attrStack is what attribution needs from one stack.
type attrStack struct {
	site      int
	hook      bool   // holds an advisor hook frame
	entry     string // outermost function: the goroutine's start function
	waitGroup bool   // blocked in sync.(*WaitGroup).Wait: a join, not a lock
	cgo       bool   // in a cgo call, which the trace shows as a system call
	cpuState  int    // for a CPU sample: attrCPU, or attrGC / attrLock / attrSyscall for CPU spent on a GC assist, spinning on a mutex, or in system call wrappers
	depths    []attrDepth
}

// attrDepth is how many frames of one function a stack holds (only > 1).
type attrDepth struct {
	fn    string
	depth int
}

// attributor accumulates time per site and state from either input.
type attributor struct {
	o            *AttributeOptions
	moduleDir    string   // absolute, forward slashes; "" when unknown
	hookPrefixes []string // see attrHookPrefixes
	own          map[[2]string]bool
	sites        []attrSite
	siteIdx      map[string]int

	// Filled by readTrace or fromCPUProfile.
	time     map[int]*attrDurations // by site or attrNoSite
	depth    map[string]int
	cpuNanos float64
	wall     time.Duration
	procs    int
	events   int
	cpuOnly  bool
	errors   []string

	// Filled by fromGraph.
	graph      *critpath.Graph
	path       []critpath.Segment
	cp         *cpCtx
	cpuSamples int64
	background []report.Background
	busy       float64
	// requests is set when the window was attributed per request, reqs
	// are the requests.
	requests *requestStats
	reqs     []request
}

func newAttributor(o *AttributeOptions) *attributor {
	a := &attributor{o: o, own: make(map[[2]string]bool), siteIdx: make(map[string]int), hookPrefixes: attrHookPrefixes(o.HookPrefix)}
	if dir := o.ModuleDir; dir != "" {
		// Binaries record absolute file names.
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		a.moduleDir = filepath.ToSlash(filepath.Clean(dir))
	}
	a.reset()
	return a
}

// reset drops accumulated time (keeping warnings and interned sites).
func (a *attributor) reset() {
	a.time = make(map[int]*attrDurations)
	a.depth = make(map[string]int)
	a.cpuNanos, a.wall, a.procs, a.events, a.cpuOnly = 0, 0, 0, 0, false
	a.graph, a.path, a.cp, a.cpuSamples, a.background, a.requests, a.reqs = nil, nil, nil, 0, nil, nil, nil
}

func (a *attributor) warnf(format string, args ...any) {
	a.errors = append(a.errors, attrOneLine(fmt.Sprintf(format, args...)))
}

// attrOneLine keeps messages to one line: Report.Errors entries and returned
// errors are shown as such.
func attrOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (a *attributor) addTime(s int, d *attrDurations) {
	t := a.time[s]
	if t == nil {
		t = new(attrDurations)
		a.time[s] = t
	}
	t.add(d)
}

func (a *attributor) addDepths(ds []attrDepth) {
	for _, d := range ds {
		if d.depth > a.depth[d.fn] {
			a.depth[d.fn] = d.depth
		}
	}
}

// isHook reports whether fn belongs to the advisor's hook.
func (a *attributor) isHook(fn string) bool {
	for _, p := range a.hookPrefixes {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}

// attrHookPrefixes returns the name prefixes of a hook's functions and of
// the methods of its types: "main.advisorHook" also covers
// "main.(*advisorHookState).stop".
func attrHookPrefixes(prefix string) []string {
	dot := strings.LastIndexByte(prefix, '.')
	pkg, ident := prefix[:dot+1], prefix[dot+1:]
	if ident == "" {
		return []string{prefix}
	}
	return []string{prefix, pkg + "(*" + ident, pkg + "(" + ident}
}

// attrCgoGenerated reports whether fn is a wrapper cgo generates
// (pkg._Cfunc_f, pkg._cgo_..., pkg._Cgo_...): the user's own frame is its
// caller.
func attrCgoGenerated(fn string) bool {
	ident := fn[len(FuncPackage(fn)):]
	return strings.HasPrefix(ident, "._Cfunc_") || strings.HasPrefix(ident, "._cgo") || strings.HasPrefix(ident, "._Cgo")
}

// attrHookFile reports whether file is the advisor hook injected by package
// profile ("0000_advisor_hook.go", or "0000_advisor_hook_test.go" for --bench).
func attrHookFile(file string) bool {
	base := path.Base(filepath.ToSlash(file))
	return base == "0000_advisor_hook.go" || base == "0000_advisor_hook_test.go"
}

// isOwn reports whether a frame is the target's own code.
func (a *attributor) isOwn(fn, file string) bool {
	k := [2]string{fn, file}
	if v, ok := a.own[k]; ok {
		return v
	}
	v := a.ownUncached(fn, file)
	a.own[k] = v
	return v
}

func (a *attributor) ownUncached(fn, file string) bool {
	// The hook's file also holds compiler-generated code (its part of the
	// package's init), which carries no hook prefix.
	if a.isHook(fn) || strings.HasSuffix(file, "_testmain.go") || attrHookFile(file) || attrCgoGenerated(fn) {
		return false
	}
	pkg := FuncPackage(fn)
	if MatchPackage(a.o.OwnPatterns, pkg) {
		return true
	}
	if a.o.OwnCode != nil {
		return a.o.OwnCode(fn, file)
	}
	if pkg == "main" {
		return true
	}
	if mp := a.o.ModulePath; mp != "" && (pkg == mp || strings.HasPrefix(pkg, mp+"/")) {
		return true
	}
	if dir := a.moduleDir; dir != "" {
		f := filepath.ToSlash(file)
		return strings.HasPrefix(f, dir+"/") && !strings.HasPrefix(f, dir+"/vendor/")
	}
	return false
}

// attrSyscallWrapper reports whether fn is standard-library machinery that
// performs system calls (file and socket I/O).
func attrSyscallWrapper(fn string) bool {
	switch FuncPackage(fn) {
	case "syscall", "internal/poll", "internal/syscall/unix", "os", "golang.org/x/sys/unix":
		return true
	}
	return false
}

// FuncPackage returns the import path of a fully qualified function name
// such as "example.com/a/b.(*T).M" or "main.f.func1".
func FuncPackage(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return fn
	}
	return fn[:slash+1+dot]
}

// relFile makes a recorded file name relative to the module root.
func (a *attributor) relFile(file string) string {
	f := filepath.ToSlash(file)
	if dir := a.moduleDir; dir != "" {
		if rest, ok := strings.CutPrefix(f, dir+"/"); ok {
			return rest
		}
	}
	if mp := a.o.ModulePath; mp != "" {
		// -trimpath records module-path-relative names.
		if rest, ok := strings.CutPrefix(f, mp+"/"); ok {
			return rest
		}
	}
	return f
}

// stackInfo summarizes frames, innermost first.
func (a *attributor) stackInfo(frames []attrFrame) attrStack {
	si := attrStack{site: attrNoSite, cpuState: attrCPU}
	if len(frames) == 0 {
		return si
	}
	si.entry = frames[len(frames)-1].fn
	innermost := -1
	var own []string // outermost first after the loop below
	counts := make(map[string]int)
	for i, f := range frames {
		if innermost < 0 && si.cpuState == attrCPU && attrSyscallWrapper(f.fn) {
			// CPU spent entering and leaving system calls on the
			// caller's behalf is the cost of its I/O: with small reads
			// it rivals the kernel's copy.
			si.cpuState = attrSyscall
		}
		if a.isHook(f.fn) || attrHookFile(f.file) {
			si.hook = true
		}
		switch f.fn {
		case "sync.(*WaitGroup).Wait":
			si.waitGroup = true
		case "runtime.cgocall":
			si.cgo = true
		default:
			if attrCgoGenerated(f.fn) {
				si.cgo = true
			}
		case "runtime.gcAssistAlloc":
			si.cpuState = attrGC
		case "internal/sync.(*Mutex).lockSlow", "sync.(*Mutex).lockSlow":
			// Spinning for a contended mutex is lock contention, even
			// though it burns CPU.
			if si.cpuState == attrCPU {
				si.cpuState = attrLock
			}
		}
		counts[f.fn]++
		if a.isOwn(f.fn, f.file) {
			if innermost < 0 {
				innermost = i
			}
			own = append(own, f.fn)
		}
	}
	for fn, n := range counts {
		if n > 1 {
			si.depths = append(si.depths, attrDepth{fn, n})
		}
	}
	if innermost < 0 {
		return si
	}
	slices.Reverse(own)
	own = slices.Compact(own)
	f := frames[innermost]
	file := a.relFile(f.file)
	key := fmt.Sprintf("%s\x00%s\x00%d\x00%s", f.fn, file, f.line, strings.Join(own, "\x00"))
	id, ok := a.siteIdx[key]
	if !ok {
		id = len(a.sites)
		a.sites = append(a.sites, attrSite{fn: f.fn, file: file, line: f.line, stack: own})
		a.siteIdx[key] = id
	}
	si.site = id
	return si
}

// report turns the accumulated time into a Report.
func (a *attributor) report() *report.Report {
	r := report.NewReport()
	var total attrDurations
	for _, d := range a.time {
		total.add(d)
	}
	grand := total.sum()

	wall, cpu := a.wall, a.cpuNanos
	if a.o.Wall > 0 {
		wall = a.o.Wall
		// A trace of part of the run (size-limited, or the last window of
		// a flight recorder) says nothing of the rest: take whole-run CPU
		// from the CPU profile, else scale the window's busy cores.
		if !a.cpuOnly && a.wall > 0 && float64(a.wall) < 0.95*float64(wall) {
			a.warnf("the trace covers %.3gs of the %.3gs run: the breakdown and hot paths describe that window", a.wall.Seconds(), wall.Seconds())
			if a.o.CPU == nil {
				// CPU from the trace's samples covers the window only.
				cpu = a.cpuNanos / float64(a.wall) * float64(wall)
			} else if _, total := a.cpuTotal(a.o.CPU); total > 0 {
				// The profile covers the whole run; the trace's samples
				// (what cpuNanos counts) only the window.
				cpu = total
			}
		}
	}
	procs := a.procs
	if a.o.GOMAXPROCS > 0 {
		procs = a.o.GOMAXPROCS
	}
	r.Target = &report.Target{
		Args:        []string{},
		WallSeconds: wall.Seconds(),
		CPUSeconds:  cpu / 1e9,
		GOMAXPROCS:  procs,
		CPUSamples:  a.cpuSamples,
	}

	sum := &report.Summary{Breakdown: report.Breakdown{}}
	for i, v := range total {
		sum.Breakdown[attrStateNames[i]] = attrFraction(v, grand)
	}
	sum.Class = ClassifyProgram(sum.Breakdown)
	if wall > 0 {
		sum.CoresUsed = cpu / float64(wall)
	}
	sum.Accounting = report.AccountingCPU
	if a.cp != nil {
		sum.Accounting = report.AccountingCriticalPath
		sum.IOInFlight = a.cp.ioInFlight()
	}
	if a.requests != nil {
		sum.Accounting = report.AccountingRequests
		sum.Requests = a.requests.n
		r.Handlers = a.requests.handlers
	}
	r.Summary = sum
	r.Hotpaths = a.hotpaths(grand)
	r.Background = a.background
	r.Errors = append(r.Errors, a.errors...)
	return r
}

// hotpaths merges sites by function: one hot path per function, at the line
// holding most of its time, with the call path that holds most of its time.
// Users act on functions; thirty lines of one recursive function are one
// place to fix.
func (a *attributor) hotpaths(grand float64) []report.Hotpath {
	if !(grand > 0) {
		return []report.Hotpath{}
	}
	type agg struct {
		d      attrDurations
		lines  map[[2]any]float64 // (file, line) → time
		stacks map[string]float64
		stackV map[string][]string
		sites  []int
		fn     string
	}
	byFn := make(map[string]*agg)
	for id, d := range a.time {
		if id == attrNoSite {
			continue
		}
		s := a.sites[id]
		g := byFn[s.fn]
		if g == nil {
			g = &agg{lines: make(map[[2]any]float64), stacks: make(map[string]float64), stackV: make(map[string][]string)}
			byFn[s.fn] = g
		}
		g.d.add(d)
		g.sites = append(g.sites, id)
		t := d.sum()
		g.lines[[2]any{s.file, s.line}] += t
		k := strings.Join(s.stack, "\x00")
		g.stacks[k] += t
		g.stackV[k] = s.stack
	}
	hps := make([]report.Hotpath, 0, len(byFn))
	for fn, g := range byFn {
		t := g.d.sum()
		if !(t > 0) {
			continue
		}
		hp := report.Hotpath{Function: fn, Share: attrFraction(t, grand), Breakdown: report.Breakdown{}, MaxDepth: a.depth[fn]}
		best := -1.0
		for fl, v := range g.lines {
			file, line := fl[0].(string), fl[1].(int)
			// Ties go to the earliest line, for stable output.
			if v > best || v == best && (file < hp.File || file == hp.File && line < hp.Line) {
				best, hp.File, hp.Line = v, file, line
			}
		}
		best = -1
		bestK := ""
		for k, v := range g.stacks {
			if v > best || v == best && k < bestK {
				best, bestK = v, k
			}
		}
		hp.Stack = g.stackV[bestK]
		for i, v := range g.d {
			if v > 0 {
				hp.Breakdown[attrStateNames[i]] = attrFraction(v, grand)
			}
		}
		hp.Class = ClassifyHotpath(hp.Breakdown)
		hps = append(hps, hp)
		g.fn = fn
	}
	slices.SortFunc(hps, func(x, y report.Hotpath) int {
		return cmp.Or(cmp.Compare(y.Share, x.Share), strings.Compare(x.Function, y.Function))
	})
	limit := a.o.MaxHotpaths
	if limit == 0 {
		limit = DefaultMaxHotpaths
	}
	if limit > 0 && len(hps) > limit {
		hps = hps[:limit]
	}
	if a.cp != nil {
		for i := range hps {
			h := &hps[i]
			var ps []attrPiece
			for _, id := range byFn[h.Function].sites {
				ps = append(ps, a.cp.pieces[id]...)
			}
			h.InFlight = a.cp.inFlight(h.Function, h.Class, ps)
		}
	}
	return hps
}

// fraction returns v/total clamped to [0,1] (the schema's range; float
// sums can overshoot by an ulp).
func attrFraction(v, total float64) float64 {
	if !(total > 0) {
		return 0
	}
	return math.Max(0, math.Min(1, v/total))
}

// MatchPackage reports whether the import path pkg matches one of the go
// command's package patterns: an exact path, or a path ending in "/..."
// (that package and every package below it).
func MatchPackage(patterns []string, pkg string) bool {
	for _, p := range patterns {
		if base, ok := strings.CutSuffix(p, "/..."); ok {
			if pkg == base || strings.HasPrefix(pkg, base+"/") {
				return true
			}
		} else if pkg == p {
			return true
		}
	}
	return false
}

// round3 rounds x to three decimal places, as report fields are written.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
