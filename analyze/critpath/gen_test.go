package critpath

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// genWaits are the waits the generator blocks goroutines in: reason, stack
// and whether another goroutine (not the netpoller or a timer) ends it.
var genWaits = []struct {
	reason string
	stack  []Frame
	byG    bool
}{
	{"chan receive", []Frame{{"runtime.chanrecv1", "chan.go", 1}, {"main.recv", "main.go", 10}}, true},
	{"chan send", []Frame{{"runtime.chansend1", "chan.go", 2}, {"main.send", "main.go", 11}}, true},
	{"select", []Frame{{"runtime.selectgo", "select.go", 3}, {"main.sel", "main.go", 12}}, true},
	{"sync", []Frame{{"sync.(*Mutex).Lock", "mutex.go", 4}, {"main.lock", "main.go", 13}}, true},
	{"sync", []Frame{{"sync.(*WaitGroup).Wait", "waitgroup.go", 5}, {"main.join", "main.go", 14}}, true},
	{"sync.(*Cond).Wait", []Frame{{"sync.(*Cond).Wait", "cond.go", 6}, {"main.cond", "main.go", 15}}, true},
	{"sync", []Frame{{"runtime.gcMarkDone", "mgc.go", 7}, {"main.alloc", "main.go", 16}}, true},
	{"sleep", []Frame{{"time.Sleep", "time.go", 8}, {"main.nap", "main.go", 17}}, false},
	{"network", []Frame{{"internal/poll.(*FD).Read", "fd.go", 9}, {"main.read", "main.go", 18}}, false},
	{"chan receive", []Frame{{"runtime.chanrecv1", "chan.go", 1}, {"main.recv", "main.go", 10}}, false},
}

// genEvents returns a random but valid event list: goroutine 1 (main)
// predates the trace, goroutines create, wake, block, exit, get preempted
// and make system calls; some are system goroutines; CPU samples land on
// running goroutines. Times strictly increase.
func genEvents(r *rand.Rand, b *Builder, n int) []Event {
	type gs struct {
		state State
		byG   bool // waiting for a goroutine to wake it
	}
	stacks := make([]StackID, len(genWaits))
	for i, w := range genWaits {
		stacks[i] = b.Stack(w.stack)
	}
	cpu := []StackID{
		b.Stack([]Frame{{"main.hot", "main.go", 30}, {"main.main", "main.go", 31}}),
		b.Stack([]Frame{{"main.cold", "main.go", 32}, {"main.main", "main.go", 33}}),
	}
	sysStack := b.Stack([]Frame{{"runtime.gopark", "proc.go", 40}, {"runtime.bgsweep", "mgcsweep.go", 41}})
	startStack := b.Stack([]Frame{{"main.worker", "main.go", 50}})
	state := map[GoID]*gs{1: {state: StateRunning}}
	ids := []GoID{1}
	next := GoID(2)
	t := Time(1000)
	var evs []Event
	emit := func(e Event) {
		t += Time(1 + r.IntN(100))
		e.Time = t
		evs = append(evs, e)
	}
	emit(Event{Kind: EventTransition, G: 1, Ctx: 1, From: StateUnknown, To: StateRunning})
	if r.IntN(2) == 0 {
		// A system goroutine, idle most of the time.
		emit(Event{Kind: EventTransition, G: 1000, Ctx: NoGoroutine, From: StateUnknown, To: StateWaiting,
			Reason: "GC background sweeper wait", Stack: sysStack})
		state[1000] = &gs{state: StateWaiting, byG: false}
		ids = append(ids, 1000)
	}
	for len(evs) < n {
		id := ids[r.IntN(len(ids))]
		s := state[id]
		switch s.state {
		case StateRunning:
			switch k := r.IntN(10); {
			case k < 2 && len(ids) < 40: // create
				c := next
				next++
				emit(Event{Kind: EventTransition, G: c, Ctx: id, From: StateNotExist, To: StateRunnable, Stack: startStack})
				state[c] = &gs{state: StateRunnable}
				ids = append(ids, c)
			case k < 4: // wake someone waiting for a goroutine
				for _, w := range ids {
					if ws := state[w]; ws.state == StateWaiting && ws.byG && w != id {
						emit(Event{Kind: EventTransition, G: w, Ctx: id, From: StateWaiting, To: StateRunnable})
						ws.state = StateRunnable
						break
					}
				}
			case k < 6: // block
				i := r.IntN(len(genWaits))
				emit(Event{Kind: EventTransition, G: id, Ctx: id, From: StateRunning, To: StateWaiting,
					Reason: genWaits[i].reason, Stack: stacks[i]})
				s.state, s.byG = StateWaiting, genWaits[i].byG
			case k == 6:
				emit(Event{Kind: EventTransition, G: id, Ctx: id, From: StateRunning, To: StateSyscall, Stack: cpu[1]})
				s.state = StateSyscall
			case k == 7:
				emit(Event{Kind: EventTransition, G: id, Ctx: id, From: StateRunning, To: StateRunnable, Reason: "preempted"})
				s.state = StateRunnable
			case k == 8 && id != 1 && r.IntN(4) == 0:
				emit(Event{Kind: EventTransition, G: id, Ctx: id, From: StateRunning, To: StateNotExist})
				s.state = StateNotExist
			default:
				emit(Event{Kind: EventSample, G: id, Ctx: id, Stack: cpu[r.IntN(2)]})
			}
		case StateRunnable:
			emit(Event{Kind: EventTransition, G: id, Ctx: id, From: StateRunnable, To: StateRunning})
			s.state = StateRunning
		case StateSyscall:
			emit(Event{Kind: EventTransition, G: id, Ctx: id, From: StateSyscall, To: StateRunning})
			s.state = StateRunning
		case StateWaiting:
			if !s.byG && r.IntN(3) == 0 {
				emit(Event{Kind: EventTransition, G: id, Ctx: NoGoroutine, From: StateWaiting, To: StateRunnable})
				s.state = StateRunnable
			}
		}
		if r.IntN(50) == 0 {
			emit(Event{Kind: EventTime, G: NoGoroutine, Ctx: NoGoroutine})
		}
		if s := state[1]; s.state == StateWaiting && s.byG && r.IntN(20) == 0 {
			// Keep the run from deadlocking: somebody must be running.
			emit(Event{Kind: EventTransition, G: 1, Ctx: NoGoroutine, From: StateWaiting, To: StateRunnable})
			s.state = StateRunnable
		}
	}
	return evs
}

// genGraph builds a random graph of about n events from seed.
func genGraph(tb testing.TB, seed uint64, n int) *Graph {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := NewBuilder()
	for _, ev := range genEvents(r, b, n) {
		if err := b.Add(ev); err != nil {
			tb.Fatalf("seed %d: %v", seed, err)
		}
	}
	return b.Graph()
}

func TestGeneratedGraphs(t *testing.T) {
	for seed := range uint64(300) {
		n := 20 + int(seed)*7
		g := genGraph(t, seed, n)
		path, err := g.Path()
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkPath(t, g, g.Main, g.End, path)
		// A path from another goroutine at another time holds the same.
		gr := g.Goroutines[int(seed)%len(g.Goroutines)]
		if len(gr.Intervals) > 0 {
			iv := gr.Intervals[len(gr.Intervals)/2]
			end := (iv.Start + iv.End + 1) / 2
			p, err := g.PathFrom(gr.ID, end)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			checkPath(t, g, gr.ID, end, p)
		}
		// Unscaled, the what-if is the traced run; speeding up a function
		// never lengthens it.
		base, err := g.WhatIf(g.Main, g.End, nil)
		if err != nil || base != g.End-g.Start {
			t.Fatalf("seed %d: unscaled what-if = %d, %v; want the traced %d", seed, base, err, g.End-g.Start)
		}
		fast, err := g.WhatIf(g.Main, g.End, FuncSpeedup(g, "main.hot", 4))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if fast > base {
			t.Fatalf("seed %d: speeding up main.hot lengthens the run: %d > %d", seed, fast, base)
		}
	}
}

func TestBuilderRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		evs  []Event
	}{
		{"backward time", []Event{
			{Kind: EventTime, Time: 10, G: NoGoroutine},
			{Kind: EventTime, Time: 5, G: NoGoroutine},
		}},
		{"wrong from", []Event{
			{Kind: EventTransition, Time: 1, G: 1, From: StateUnknown, To: StateRunning},
			{Kind: EventTransition, Time: 2, G: 1, From: StateWaiting, To: StateRunnable},
		}},
		{"unknown stack", []Event{{Kind: EventSample, Time: 1, G: 1, Stack: 99}}},
		{"self creation", []Event{{Kind: EventTransition, Time: 1, G: 3, Ctx: 3, From: StateNotExist, To: StateRunnable}}},
	} {
		b := NewBuilder()
		var err error
		for _, ev := range tc.evs {
			if err = b.Add(ev); err != nil {
				break
			}
		}
		if err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestFollow checks the walk on a hand-made graph: main blocks on a
// channel that a worker, blocked itself on a mutex that a third goroutine
// releases, eventually ends.
func TestFollow(t *testing.T) {
	b := NewBuilder()
	ch := b.Stack([]Frame{{"runtime.chanrecv1", "chan.go", 1}})
	mu := b.Stack([]Frame{{"sync.(*Mutex).Lock", "mutex.go", 1}})
	tr := func(tm Time, g, ctx GoID, from, to State, reason string, st StackID) Event {
		return Event{Kind: EventTransition, Time: tm, G: g, Ctx: ctx, From: from, To: to, Reason: reason, Stack: st}
	}
	evs := []Event{
		tr(0, 1, 1, StateUnknown, StateRunning, "", NoStack),
		tr(10, 2, 1, StateNotExist, StateRunnable, "", NoStack),
		tr(20, 3, 1, StateNotExist, StateRunnable, "", NoStack),
		tr(30, 1, 1, StateRunning, StateWaiting, "chan receive", ch), // main waits 30..100
		tr(31, 2, 2, StateRunnable, StateRunning, "", NoStack),
		tr(32, 3, 3, StateRunnable, StateRunning, "", NoStack),
		tr(40, 2, 2, StateRunning, StateWaiting, "sync", mu), // worker waits 40..70
		tr(70, 2, 3, StateWaiting, StateRunnable, "", NoStack),
		tr(75, 3, 3, StateRunning, StateNotExist, "", NoStack),
		tr(80, 2, 2, StateRunnable, StateRunning, "", NoStack),
		tr(100, 1, 2, StateWaiting, StateRunnable, "", NoStack),
		tr(105, 1, 1, StateRunnable, StateRunning, "", NoStack),
		tr(120, 2, 2, StateRunning, StateNotExist, "", NoStack),
		{Kind: EventTime, Time: 130, G: NoGoroutine},
	}
	for _, ev := range evs {
		if err := b.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Graph()
	path, err := g.Path()
	if err != nil {
		t.Fatal(err)
	}
	checkPath(t, g, 1, 130, path)
	type seg struct {
		g          GoID
		start, end Time
		c          Category
	}
	want := []seg{
		{1, 0, 30, CatRunning}, // main until it blocks
		{2, 30, 31, CatSched},  // then the worker, which main's wait waited for
		{2, 31, 40, CatRunning},
		{3, 40, 70, CatRunning}, // the worker's mutex wait: the releaser
		{2, 70, 80, CatSched},
		{2, 80, 100, CatRunning},
		{1, 100, 105, CatSched},
		{1, 105, 130, CatRunning},
	}
	if len(path) != len(want) {
		t.Fatalf("path = %+v, want %+v", path, want)
	}
	for i, s := range path {
		if (seg{s.G, s.Start, s.End, s.Category}) != want[i] {
			t.Fatalf("segment %d = %+v, want %+v", i, s, want[i])
		}
	}
	bg := g.Background(path)
	if len(bg) != 0 {
		t.Errorf("background = %+v, want none", bg)
	}
	// Making goroutine 3's running time free shortens the run by the 30ns
	// of the mutex wait it holds up (3 starts running at 32).
	got, err := g.WhatIf(1, 130, func(gr *Goroutine, i int) float64 {
		if gr.ID == 3 && gr.Intervals[i].State == StateRunning {
			return 0
		}
		return 1
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := Time(130 - 30); got != want {
		t.Errorf("what-if = %d, want %d", got, want)
	}
}

// TestIntervalSize keeps the per-transition record small: memory is
// linear in the events, and this is the constant.
func TestIntervalSize(t *testing.T) {
	if n := unsafe.Sizeof(Interval{}); n > 32 {
		t.Errorf("Interval is %d bytes, want at most 32", n)
	}
}

// TestFuncSpeedupPreemption checks that the runnable wait after a
// preemption shrinks with the work it interrupted, and the runnable wait
// after a wake does not: main runs main.hot 0..100 (sampled), is preempted
// 100..120, runs main.hot again 120..200, sleeps 200..300 (a timer wakes
// it), waits for a core 300..310 and runs main.cold 310..330.
func TestFuncSpeedupPreemption(t *testing.T) {
	b := NewBuilder()
	hot := b.Stack([]Frame{{"main.hot", "main.go", 1}})
	cold := b.Stack([]Frame{{"main.cold", "main.go", 2}})
	sleep := b.Stack([]Frame{{"time.Sleep", "time.go", 1}})
	tr := func(tm Time, from, to State, reason string, st StackID) Event {
		return Event{Kind: EventTransition, Time: tm, G: 1, Ctx: 1, From: from, To: to, Reason: reason, Stack: st}
	}
	sample := func(tm Time, st StackID) Event { return Event{Kind: EventSample, Time: tm, G: 1, Ctx: 1, Stack: st} }
	evs := []Event{
		tr(0, StateUnknown, StateRunning, "", NoStack),
		sample(50, hot),
		tr(100, StateRunning, StateRunnable, "preempted", NoStack),
		tr(120, StateRunnable, StateRunning, "", NoStack),
		sample(150, hot),
		tr(200, StateRunning, StateWaiting, "sleep", sleep),
		{Kind: EventTransition, Time: 300, G: 1, Ctx: NoGoroutine, From: StateWaiting, To: StateRunnable},
		tr(310, StateRunnable, StateRunning, "", NoStack),
		sample(320, cold),
		{Kind: EventTime, Time: 330, G: NoGoroutine},
	}
	for _, ev := range evs {
		if err := b.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Graph()
	scale := FuncSpeedup(g, "main.hot", 2)
	gr := g.Goroutine(1)
	want := []float64{0.5, 0.5, 0.5, 1, 1, 1} // running, preempted, running, sleep, woken, running cold
	if len(gr.Intervals) != len(want) {
		t.Fatalf("intervals %+v, want %d", gr.Intervals, len(want))
	}
	for i, w := range want {
		if got := scale(gr, i); got != w {
			t.Errorf("interval %d (%v %d..%d): scale %g, want %g", i, gr.Intervals[i].State, gr.Intervals[i].Start, gr.Intervals[i].End, got, w)
		}
	}
	// 200 of main.hot's time (running and preempted) halves: 330 - 100.
	got, err := g.WhatIf(1, 330, scale)
	if err != nil {
		t.Fatal(err)
	}
	if got != 230 {
		t.Errorf("what-if = %d, want 230", got)
	}
}
