package critpath

import (
	"fmt"
	"sort"

	"github.com/advisor-dev/advisor/analyze/internal/grow"
)

// EventKind says what an Event records.
type EventKind uint8

// Event kinds.
const (
	// EventTime only advances the clock (any trace event not otherwise used).
	EventTime EventKind = iota
	// EventTransition changes goroutine G's state from From to To.
	EventTransition
	// EventSample is a CPU sample taken on goroutine G with Stack.
	EventSample
	// EventTaskBegin begins task Task of type Reason on goroutine Ctx.
	EventTaskBegin
	// EventTaskEnd ends task Task on goroutine Ctx.
	EventTaskEnd
)

// Event is one input to a Builder: a goroutine state transition, a CPU
// sample, or just a timestamp.
type Event struct {
	Kind EventKind
	Time Time
	// G is the goroutine the event is about.
	G GoID
	// Ctx is the goroutine in whose context a transition happened: the
	// waker of a Waiting→Runnable transition, the creator of a
	// NotExist→Runnable one; NoGoroutine for the netpoller or a timer.
	Ctx GoID
	// From and To are the states of a transition. From == StateUnknown
	// means the state before was not traced (a goroutine that predates the
	// trace, seen for the first time).
	From, To State
	// Reason is a wait's reason (To == StateWaiting).
	Reason string
	// Stack is the goroutine's stack for a transition (where it blocked,
	// or its start function at creation) or a sample, from Builder.Stack.
	Stack StackID
	// Task is the task of a task event, Parent its parent (0: none).
	Task, Parent uint64
}

// Builder builds a Graph from events in time order, in one pass and memory
// linear in the events kept.
type Builder struct {
	g      Graph
	gs     map[GoID]*buildG
	frames map[Frame]FrameID
	stacks map[string]StackID
	cats   map[catKey]Category
	reason map[string]ReasonID
	key    []byte
	first  bool
	tasks  map[uint64]int // index in g.Tasks
}

type catKey struct {
	reason string
	stack  StackID
}

// buildG is a goroutine being built.
type buildG struct {
	g     *Goroutine
	known bool // some transition was seen
	named bool // StartFunc was checked by isSystemFunc
	cur   Interval
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	b := &Builder{
		gs:     make(map[GoID]*buildG),
		frames: make(map[Frame]FrameID),
		stacks: make(map[string]StackID),
		cats:   make(map[catKey]Category),
		reason: map[string]ReasonID{"": 0},
		first:  true,
		tasks:  make(map[uint64]int),
	}
	b.g.Main, b.g.Last = NoGoroutine, NoGoroutine
	b.g.Stacks = [][]FrameID{nil}
	b.g.Reasons = []string{""}
	return b
}

// Stack interns a stack (innermost frame first) and returns its id.
func (b *Builder) Stack(frames []Frame) StackID {
	if len(frames) == 0 {
		return NoStack
	}
	ids := make([]FrameID, len(frames))
	b.key = b.key[:0]
	for i, f := range frames {
		id, ok := b.frames[f]
		if !ok {
			id = FrameID(len(b.g.Frames))
			b.g.Frames = append(b.g.Frames, f)
			b.frames[f] = id
		}
		ids[i] = id
		b.key = fmt.Appendf(b.key, "%d,", id)
	}
	if id, ok := b.stacks[string(b.key)]; ok {
		return id
	}
	id := StackID(len(b.g.Stacks))
	b.g.Stacks = append(b.g.Stacks, ids)
	b.stacks[string(b.key)] = id
	return id
}

func (b *Builder) frames0(id StackID) []Frame {
	if id <= 0 || int(id) >= len(b.g.Stacks) {
		return nil
	}
	return (&b.g).Stack(id)
}

// Add adds one event. Events must come in non-decreasing time order, and a
// transition's From must be the goroutine's current state (or
// StateUnknown); otherwise Add returns an error and the Builder is unchanged.
func (b *Builder) Add(ev Event) error {
	if ev.Stack < 0 || int(ev.Stack) >= len(b.g.Stacks) {
		return fmt.Errorf("event at %d: unknown stack %d", ev.Time, ev.Stack)
	}
	if !b.first && ev.Time < b.g.End {
		return fmt.Errorf("event at %d: time goes backward (last event at %d)", ev.Time, b.g.End)
	}
	switch ev.Kind {
	case EventTime:
	case EventSample:
		if ev.G == NoGoroutine {
			b.g.LostSamples++
			break
		}
		bg := b.goroutine(ev.G)
		bg.g.Samples = grow.Append(bg.g.Samples, Sample{Time: ev.Time, Stack: ev.Stack})
	case EventTransition:
		if err := b.transition(ev); err != nil {
			return err
		}
	case EventTaskBegin, EventTaskEnd:
		b.task(ev)
	default:
		return fmt.Errorf("event at %d: unknown kind %d", ev.Time, ev.Kind)
	}
	if b.first {
		b.g.Start, b.first = ev.Time, false
	}
	b.g.End = ev.Time
	b.g.Events++
	if ev.Ctx != NoGoroutine && ev.Ctx != 0 && ev.Ctx != b.g.Last { // (a map lookup per event saved)
		if bg := b.gs[ev.Ctx]; bg == nil || !bg.g.System {
			b.g.Last = ev.Ctx
		}
	}
	return nil
}

// task records the beginning or end of a task. A task's first event may be
// its end (begun before the trace) and a task ID may be reused by a later
// task once the earlier one ended.
func (b *Builder) task(ev Event) {
	at := ev.Time
	if b.first {
		b.g.Start = at
	}
	i, ok := b.tasks[ev.Task]
	if ev.Kind == EventTaskBegin {
		if ok && !b.g.Tasks[i].Ended {
			return // begun twice: keep the first
		}
		b.tasks[ev.Task] = len(b.g.Tasks)
		b.g.Tasks = append(b.g.Tasks, Task{ID: ev.Task, Parent: ev.Parent, Type: ev.Reason, StartG: ev.Ctx, EndG: NoGoroutine, Start: at, Begun: true})
		return
	}
	if !ok || b.g.Tasks[i].Ended {
		b.tasks[ev.Task] = len(b.g.Tasks)
		b.g.Tasks = append(b.g.Tasks, Task{ID: ev.Task, StartG: NoGoroutine, Start: b.g.Start})
		i = len(b.g.Tasks) - 1
	}
	t := &b.g.Tasks[i]
	t.EndG, t.End, t.Ended = ev.Ctx, at, true
}

func (b *Builder) goroutine(id GoID) *buildG {
	bg := b.gs[id]
	if bg == nil {
		bg = &buildG{g: &Goroutine{ID: id, Creator: NoGoroutine}}
		b.gs[id] = bg
	}
	return bg
}

func (b *Builder) transition(ev Event) error {
	if ev.G == NoGoroutine {
		return fmt.Errorf("transition at %d: no goroutine", ev.Time)
	}
	if ev.To == StateUnknown || ev.To > StateWaiting || ev.From > StateWaiting {
		return fmt.Errorf("transition at %d of goroutine %d: invalid states %v to %v", ev.Time, ev.G, ev.From, ev.To)
	}
	start := b.g.Start
	if b.first {
		start = ev.Time
	}
	bg := b.gs[ev.G]
	switch {
	case bg == nil || !bg.known:
		// First sight of the goroutine.
		if ev.From == StateNotExist {
			if ev.Ctx == ev.G {
				return fmt.Errorf("transition at %d: goroutine %d creates itself", ev.Time, ev.G)
			}
			bg = b.goroutine(ev.G)
			bg.g.Creator, bg.g.Created = ev.Ctx, ev.Time
			if fs := b.frames0(ev.Stack); len(fs) > 0 {
				bg.g.StartFunc = fs[0].Func
			}
			bg.cur = Interval{State: StateNotExist}
		} else {
			bg = b.goroutine(ev.G)
			from := ev.From
			if from == StateUnknown {
				from = ev.To
			}
			bg.cur = Interval{Start: start, State: from, Waker: NoGoroutine}
			if ev.From == StateUnknown {
				b.open(bg, ev)
			}
		}
		bg.known = true
		if ev.From == StateUnknown {
			b.noteSystem(bg, ev)
			return nil
		}
	case ev.From == StateNotExist && bg.cur.State == StateNotExist && len(bg.g.Intervals) > 0:
		return fmt.Errorf("transition at %d: goroutine %d created again after it exited", ev.Time, ev.G)
	case ev.From != StateUnknown && ev.From != bg.cur.State:
		return fmt.Errorf("transition at %d: goroutine %d goes from %v but is %v", ev.Time, ev.G, ev.From, bg.cur.State)
	}
	if (ev.From == StateUnknown || ev.From == ev.To) && bg.cur.State == ev.To {
		// A restated state (each trace generation restates every
		// goroutine's state, as a transition from the state to itself):
		// nothing changes, and a wait keeps its reason and stack.
		return nil
	}
	// Close the current interval.
	cur := bg.cur
	if cur.State != StateNotExist {
		cur.End = ev.Time
		if cur.State == StateWaiting {
			cur.Waker = NoGoroutine
			if ev.Ctx != ev.G {
				cur.Waker = ev.Ctx
			}
		}
		if cur.End > cur.Start {
			bg.g.Intervals = grow.Append(bg.g.Intervals, cur)
		}
	}
	bg.cur = Interval{Start: ev.Time, State: ev.To, Waker: NoGoroutine}
	b.open(bg, ev)
	b.noteSystem(bg, ev)
	return nil
}

// open sets the category of a goroutine's new current interval.
func (b *Builder) open(bg *buildG, ev Event) {
	cur := &bg.cur
	switch cur.State {
	case StateRunning:
		cur.Category = CatRunning
	case StateRunnable:
		cur.Category = CatSched
	case StateSyscall:
		cur.Category, cur.Stack = CatSyscall, ev.Stack
	case StateWaiting:
		cur.Reason, cur.Stack = b.reasonID(ev.Reason), ev.Stack
		k := catKey{ev.Reason, ev.Stack}
		c, ok := b.cats[k]
		if !ok {
			c = Classify(ev.Reason, b.frames0(ev.Stack))
			b.cats[k] = c
		}
		cur.Category = c
	}
}

// reasonID interns a wait reason. Past 65535 distinct reasons (the runtime
// has a few dozen) the rest are recorded as "".
func (b *Builder) reasonID(r string) ReasonID {
	id, ok := b.reason[r]
	if !ok {
		if len(b.g.Reasons) > int(^ReasonID(0)) {
			return 0
		}
		id = ReasonID(len(b.g.Reasons))
		b.g.Reasons = append(b.g.Reasons, r)
		b.reason[r] = id
	}
	return id
}

func (b *Builder) noteSystem(bg *buildG, ev Event) {
	if bg.g.StartFunc == "" && ev.Stack != NoStack && ev.From != StateNotExist {
		// Name a goroutine that predates the trace by the root of its
		// first transition stack, as go tool trace does.
		bg.g.StartFunc = rootFunc(b.frames0(ev.Stack))
	}
	if ev.To == StateWaiting && isSystemReason(ev.Reason) {
		bg.g.System = true
	}
	if !bg.named && bg.g.StartFunc != "" {
		bg.named = true
		if isSystemFunc(bg.g.StartFunc) {
			bg.g.System = true
		}
	}
}

// rootFunc returns the outermost function of a stack, above runtime.goexit.
func rootFunc(fs []Frame) string {
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Func != "runtime.goexit" {
			return fs[i].Func
		}
	}
	return ""
}

// Graph closes every goroutine's timeline at the last event and returns the
// graph. The Builder must not be used afterward.
func (b *Builder) Graph() *Graph {
	g := &b.g
	g.Goroutines = make([]*Goroutine, 0, len(b.gs))
	for _, bg := range b.gs {
		if bg.known && bg.cur.State != StateNotExist {
			cur := bg.cur
			cur.End = g.End
			if cur.End > cur.Start {
				bg.g.Intervals = grow.Append(bg.g.Intervals, cur)
			}
		}
		g.Goroutines = append(g.Goroutines, bg.g)
	}
	sort.Slice(g.Goroutines, func(i, j int) bool { return g.Goroutines[i].ID < g.Goroutines[j].ID })
	g.Main = findMain(g)
	for i := range g.Tasks {
		if t := &g.Tasks[i]; !t.Ended {
			t.End = g.End
		}
	}
	b.gs, b.frames, b.stacks, b.cats, b.reason, b.tasks = nil, nil, nil, nil, nil, nil
	return g
}

// findMain picks goroutine 1 (runtime.main), else the goroutine whose start
// function is runtime.main or main.main.
func findMain(g *Graph) GoID {
	if g.Goroutine(1) != nil {
		return 1
	}
	for _, gr := range g.Goroutines {
		if gr.StartFunc == "runtime.main" || gr.StartFunc == "main.main" {
			return gr.ID
		}
	}
	return NoGoroutine
}
