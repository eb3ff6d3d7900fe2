package critpath

import (
	"fmt"
	"sort"
	"strings"
)

// Time is a trace timestamp in nanoseconds. Only differences are meaningful.
type Time int64

// GoID identifies a goroutine.
type GoID int64

// NoGoroutine stands for "no goroutine": the netpoller or a timer woke a
// goroutine, or a goroutine predates the trace and has no known creator.
const NoGoroutine GoID = -1

// State is what a goroutine is doing during an interval.
type State uint8

// Goroutine states, as in the execution trace.
const (
	StateUnknown  State = iota // not known (a gap in the path with no goroutine)
	StateNotExist              // not yet created, or exited
	StateRunnable              // ready to run, waiting for a P
	StateRunning               // running (the trace's view: includes time the OS took the thread)
	StateSyscall               // in a system call (or cgo)
	StateWaiting               // blocked; see the interval's Category and Reason
)

var stateNames = [...]string{"unknown", "notexist", "runnable", "running", "syscall", "waiting"}

// String returns the lower-case name of s.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

// Category classifies an interval for accounting: the state, and for a wait
// what it waited for.
type Category uint8

// Categories. The order is stable; NumCategories bounds arrays indexed by them.
const (
	CatRunning   Category = iota // on a CPU (running)
	CatSched                     // runnable: scheduler latency
	CatSyscall                   // in a system call
	CatNetwork                   // waiting on the network poller
	CatSleep                     // time.Sleep and timers
	CatChannel                   // channel send or receive
	CatSelect                    // select
	CatLock                      // sync.Mutex, sync.RWMutex and other semaphores
	CatCond                      // sync.Cond
	CatWaitGroup                 // sync.WaitGroup
	CatGC                        // a wait inside the garbage collector (assist, stop-the-world, ...)
	CatOther                     // any other wait
	CatUntraced                  // a gap the trace does not explain (no goroutine)
	NumCategories
)

var categoryNames = [...]string{
	"running", "sched", "syscall", "network", "sleep", "channel", "select",
	"lock", "cond", "waitgroup", "gc", "other", "untraced",
}

// String returns the lower-case name of c, as used in reports.
func (c Category) String() string {
	if int(c) < len(categoryNames) {
		return categoryNames[c]
	}
	return fmt.Sprintf("Category(%d)", c)
}

// Follows reports whether a wait of category c, when another goroutine ended
// it, is attributed to what that goroutine did meanwhile.
func (c Category) Follows() bool {
	switch c {
	case CatChannel, CatSelect, CatLock, CatCond, CatWaitGroup:
		return true
	}
	return false
}

// Frame is one function call in a stack.
type Frame struct {
	Func string
	File string
	Line int
}

// FrameID indexes Graph.Frames.
type FrameID int32

// StackID indexes Graph.Stacks. NoStack (0) is the empty stack.
type StackID int32

// NoStack is the StackID of an unknown or empty stack.
const NoStack StackID = 0

// ReasonID indexes Graph.Reasons. Reasons[0] is "".
type ReasonID uint16

// Interval is a span of one goroutine's time in one state. It is 32 bytes:
// a trace holds about one per goroutine transition.
type Interval struct {
	Start, End Time
	// Waker is the goroutine that ended a wait, or NoGoroutine when the
	// netpoller, a timer or the end of the trace did (waits only).
	Waker GoID
	// Stack is where the goroutine was when the interval began (waits and
	// system calls; NoStack otherwise).
	Stack    StackID
	State    State
	Category Category
	// Reason is the trace's wait reason (waits only), see Graph.Reasons.
	Reason ReasonID
}

// Duration returns the interval's length in nanoseconds.
func (iv *Interval) Duration() Time { return iv.End - iv.Start }

// Sample is a CPU profile sample taken on a goroutine.
type Sample struct {
	Time  Time
	Stack StackID
}

// Goroutine is one goroutine's timeline.
type Goroutine struct {
	ID GoID
	// StartFunc is the goroutine's start function ("" when unknown).
	StartFunc string
	// Creator is the goroutine that created it, or NoGoroutine when it
	// predates the trace (or the runtime created it with no goroutine).
	Creator GoID
	// Created is the creation time, when Creator is set.
	Created Time
	// System reports a runtime or tracer background goroutine (GC workers,
	// sweeper, finalizers, the trace reader, ...).
	System bool
	// Intervals are in time order, contiguous and non-empty. They start at
	// creation (or at the start of the trace) and end at exit (or at the
	// end of the trace).
	Intervals []Interval
	// Samples are the goroutine's CPU samples in time order.
	Samples []Sample
}

// At returns the index of the interval that contains t in the half-open
// sense start < t <= end, or -1. Walking backward from t, this is the
// interval the goroutine was in just before t.
func (g *Goroutine) At(t Time) int {
	iv := g.Intervals
	i := sort.Search(len(iv), func(i int) bool { return iv[i].End >= t })
	if i < len(iv) && iv[i].Start < t {
		return i
	}
	return -1
}

// SamplesIn returns the goroutine's CPU samples with start <= time < end.
func (g *Goroutine) SamplesIn(start, end Time) []Sample {
	s := g.Samples
	i := sort.Search(len(s), func(i int) bool { return s[i].Time >= start })
	j := sort.Search(len(s), func(i int) bool { return s[i].Time >= end })
	if j < i {
		j = i
	}
	return s[i:j]
}

// Graph is the happens-before graph of a traced run.
type Graph struct {
	// Start and End are the times of the first and last event.
	Start, End Time
	// Main is the main goroutine (runtime.main), or NoGoroutine.
	Main GoID
	// Goroutines are sorted by ID.
	Goroutines []*Goroutine
	// Frames and Stacks are the interned stacks: Stacks[id] lists the
	// frames of stack id, innermost first. Stacks[NoStack] is empty.
	Frames []Frame
	Stacks [][]FrameID
	// Reasons are the interned wait reasons; Reasons[0] is "".
	Reasons []string
	// Events is the number of events the graph was built from.
	Events int
	// LostSamples counts CPU samples taken on no goroutine.
	LostSamples int
	// Last is the goroutine in whose context the last event with one
	// happened: usually the one that stopped the trace (NoGoroutine if none).
	Last GoID
	// Procs is the number of distinct Ps the trace shows (0 when built
	// from Events, which carry no P).
	Procs int
	// Tasks are the runtime/trace tasks the program defined
	// (trace.NewTask), in the order they began (or, begun before the
	// trace, ended).
	Tasks []Task
}

// Task is a runtime/trace task: a unit of work the program named, such as
// one request. A task begun before the trace starts at Graph.Start with
// Begun false; one still open at its end ends at Graph.End with Ended false.
type Task struct {
	ID uint64
	// Parent is the task it is a subtask of (0: none, or not known).
	Parent uint64
	// Type is the name given to trace.NewTask ("" when its beginning is
	// not in the trace).
	Type string
	// StartG and EndG are the goroutines that began and ended it
	// (NoGoroutine when not seen).
	StartG, EndG GoID
	Start, End   Time
	Begun, Ended bool
}

// Goroutine returns the goroutine with the given id, or nil.
func (g *Graph) Goroutine(id GoID) *Goroutine {
	gs := g.Goroutines
	i := sort.Search(len(gs), func(i int) bool { return gs[i].ID >= id })
	if i < len(gs) && gs[i].ID == id {
		return gs[i]
	}
	return nil
}

// Reason returns the wait reason of interval iv ("" if none).
func (g *Graph) Reason(iv *Interval) string {
	if int(iv.Reason) < len(g.Reasons) {
		return g.Reasons[iv.Reason]
	}
	return ""
}

// Stack returns the frames of a stack, innermost first.
func (g *Graph) Stack(id StackID) []Frame {
	if id <= 0 || int(id) >= len(g.Stacks) {
		return nil
	}
	fs := make([]Frame, len(g.Stacks[id]))
	for i, f := range g.Stacks[id] {
		fs[i] = g.Frames[f]
	}
	return fs
}

// StackHas reports whether stack id has a frame whose function is fn.
func (g *Graph) StackHas(id StackID, fn string) bool {
	if id <= 0 || int(id) >= len(g.Stacks) {
		return false
	}
	for _, f := range g.Stacks[id] {
		if g.Frames[f].Func == fn {
			return true
		}
	}
	return false
}

// Classify returns the category of a wait from its trace reason and the
// goroutine's stack (innermost first) when it blocked. Waits inside the
// garbage collector are recognized by the runtime's GC frames whatever
// their reason.
func Classify(reason string, stack []Frame) Category {
	if isGCReason(reason) {
		return CatGC
	}
	var wg, cond, mutex bool
	for _, f := range stack {
		fn := f.Func
		switch {
		case isGCFunc(fn):
			return CatGC
		case strings.HasPrefix(fn, "sync.(*WaitGroup)."):
			wg = true
		case strings.HasPrefix(fn, "sync.(*Cond)."):
			cond = true
		case strings.HasPrefix(fn, "sync.(*Mutex)."), strings.HasPrefix(fn, "sync.(*RWMutex)."):
			mutex = true
		}
	}
	switch {
	case reason == "network", reason == "IO wait":
		return CatNetwork
	case reason == "sleep":
		return CatSleep
	case strings.HasPrefix(reason, "chan "):
		return CatChannel
	case strings.HasPrefix(reason, "select"):
		return CatSelect
	case strings.Contains(reason, "Cond"), cond:
		return CatCond
	case strings.Contains(reason, "WaitGroup"), wg:
		return CatWaitGroup
	case reason == "sync", strings.Contains(reason, "Mutex"), reason == "semacquire", mutex:
		return CatLock
	}
	return CatOther
}

func isGCReason(r string) bool {
	return strings.HasPrefix(r, "GC ") || r == "wait until GC ends" || strings.HasPrefix(r, "garbage collection") ||
		r == "wait for GC cycle" || r == "stopping the world"
}

func isGCFunc(fn string) bool {
	return strings.HasPrefix(fn, "runtime.gc") || strings.HasPrefix(fn, "runtime.GC") ||
		strings.HasPrefix(fn, "runtime.stopTheWorld") || strings.HasPrefix(fn, "runtime.forEachP") ||
		strings.HasPrefix(fn, "runtime.markroot")
}

// isSystemReason reports a wait reason only the runtime's own goroutines use.
func isSystemReason(r string) bool {
	switch r {
	case "system goroutine wait", "GC background sweeper wait", "GC weak to strong wait",
		"GC scavenge wait", "GC worker (idle)", "GC worker (active)", "finalizer wait",
		"force gc (idle)", "trace reader (blocked)", "cleanup wait", "GOMAXPROCS updater (idle)":
		return true
	}
	return false
}

// isSystemFunc reports a start function of a runtime or tracer goroutine.
func isSystemFunc(fn string) bool {
	if fn == "runtime.main" || fn == "" || strings.HasPrefix(fn, "runtime.doInit") {
		// The main goroutine, named by its first stack when tracing began
		// during package initialization.
		return false
	}
	return strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "runtime/trace.") ||
		strings.HasPrefix(fn, "runtime/pprof.") || strings.HasPrefix(fn, "unique.")
}
