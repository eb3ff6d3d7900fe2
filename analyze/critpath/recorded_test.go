package critpath

import (
	"bytes"
	"testing"
)

// readRecorded records testdata/<name>, reads its trace, checks the
// properties of its whole-run path and returns both.
func readRecorded(t *testing.T, name string) (*Graph, []Segment) {
	t.Helper()
	g, err := Read(bytes.NewReader(recordTrace(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	path, err := g.Path()
	if err != nil {
		t.Fatal(err)
	}
	checkPath(t, g, g.Main, g.End, path)
	return g, path
}

// onPath returns the time the path spends on each goroutine.
func onPath(path []Segment) map[GoID]Time {
	m := make(map[GoID]Time)
	for i := range path {
		m[path[i].G] += path[i].Duration()
	}
	return m
}

// byStart returns the user goroutines whose start function is fn.
func byStart(g *Graph, fn string) []*Goroutine {
	var gs []*Goroutine
	for _, gr := range g.Goroutines {
		if gr.StartFunc == fn {
			gs = append(gs, gr)
		}
	}
	return gs
}

func logPath(t *testing.T, g *Graph, path []Segment) {
	t.Helper()
	f := Fractions(path)
	in := NewConcurrency(g).InFlight(path)
	for c := range NumCategories {
		if f[c] > 0 {
			t.Logf("%-9v %5.1f%%  in_flight %.2f", c, 100*f[c], in[c])
		}
	}
	for id, d := range onPath(path) {
		gr := g.Goroutine(id)
		name := "(gap)"
		if gr != nil {
			name = gr.StartFunc
		}
		t.Logf("on path: G%d %s %.1fms", id, name, float64(d)/1e6)
	}
}

// TestRecordedCPUSleep: CPU work on main beside a sleeping spinner. The
// spinner is background and the path is almost all main running.
func TestRecordedCPUSleep(t *testing.T) {
	g, path := readRecorded(t, "cpusleep")
	logPath(t, g, path)
	f := Fractions(path)
	if cpu := f[CatRunning] + f[CatSched]; cpu < 0.9 {
		t.Errorf("running+sched is %.1f%% of the path, want most of it", 100*cpu)
	}
	if f[CatSleep] > 0.05 {
		t.Errorf("sleep is %.1f%% of the path, want none", 100*f[CatSleep])
	}
	sl := byStart(g, "main.sleeper")
	if len(sl) != 1 {
		t.Fatalf("%d goroutines start in main.sleeper, want 1", len(sl))
	}
	var found bool
	for _, b := range g.Background(path) {
		if b.G == sl[0].ID {
			found = true
			if b.Time[CatSleep] == 0 {
				t.Errorf("the sleeper has no sleep time: %+v", b)
			}
		}
	}
	if !found {
		t.Errorf("the sleeper G%d is not background", sl[0].ID)
	}
	if len(sl[0].Samples) > len(g.Goroutine(g.Main).Samples) {
		t.Errorf("the sleeper has more CPU samples than main")
	}
	if len(g.Goroutine(g.Main).Samples) == 0 {
		t.Errorf("main has no CPU samples")
	}
	// Making the CPU work free leaves little of the run.
	fast, err := g.WhatIf(g.Main, g.End, FuncSpeedup(g, "main.fib", 1e9))
	if err != nil {
		t.Fatal(err)
	}
	if wall := g.End - g.Start; fast > wall/2 {
		t.Errorf("what-if main.fib is free: %.1fms of %.1fms, want well under half", float64(fast)/1e6, float64(wall)/1e6)
	}
}

// TestRecordedWaitGroup: main waits for four workers; the path goes
// through the longest one, not main's wait.
func TestRecordedWaitGroup(t *testing.T) {
	g, path := readRecorded(t, "waitgroup")
	logPath(t, g, path)
	ws := byStart(g, "main.worker")
	if len(ws) != 4 {
		t.Fatalf("%d workers, want 4", len(ws))
	}
	// The longest worker is the one that exits last.
	longest := ws[0]
	for _, w := range ws {
		if w.Intervals[len(w.Intervals)-1].End > longest.Intervals[len(longest.Intervals)-1].End {
			longest = w
		}
	}
	on := onPath(path)
	var top GoID
	for id, d := range on {
		if d > on[top] {
			top = id
		}
	}
	if top != longest.ID {
		t.Errorf("goroutine most on the path is G%d, want the longest worker G%d", top, longest.ID)
	}
	f := Fractions(path)
	if f[CatWaitGroup] > 0.05 {
		t.Errorf("waitgroup is %.1f%% of the path, want it followed to the worker", 100*f[CatWaitGroup])
	}
	// Main did wait on a WaitGroup, classified as such.
	var waited bool
	for _, iv := range g.Goroutine(g.Main).Intervals {
		waited = waited || iv.Category == CatWaitGroup
	}
	if !waited {
		t.Errorf("main has no waitgroup wait")
	}
}

// TestRecordedChanSleep: main receives from a sender that sleeps before
// each send; the path goes through the sender's sleeps.
func TestRecordedChanSleep(t *testing.T) {
	g, path := readRecorded(t, "chansleep")
	logPath(t, g, path)
	ss := byStart(g, "main.sender")
	if len(ss) != 1 {
		t.Fatalf("%d senders, want 1", len(ss))
	}
	f := Fractions(path)
	if f[CatSleep] < 0.5 {
		t.Errorf("sleep is %.1f%% of the path, want most of it", 100*f[CatSleep])
	}
	if f[CatChannel] > 0.05 {
		t.Errorf("channel is %.1f%% of the path, want it followed to the sender", 100*f[CatChannel])
	}
	for _, s := range path {
		if s.Category == CatSleep && s.G != ss[0].ID {
			t.Errorf("sleep segment on G%d, want the sender G%d", s.G, ss[0].ID)
		}
	}
	if in := NewConcurrency(g).InFlight(path)[CatSleep]; in < 0.99 || in > 1.5 {
		t.Errorf("in_flight of sleep = %.2f, want about 1 (only the sender sleeps)", in)
	}
}

// TestRecordedSelectClose: main blocks in a select until a computing
// goroutine closes the channel; the path is that goroutine's work.
func TestRecordedSelectClose(t *testing.T) {
	g, path := readRecorded(t, "selectclose")
	logPath(t, g, path)
	cs := byStart(g, "main.compute")
	if len(cs) != 1 {
		t.Fatalf("%d compute goroutines, want 1", len(cs))
	}
	f := Fractions(path)
	if f[CatSelect] > 0.05 {
		t.Errorf("select is %.1f%% of the path, want it followed", 100*f[CatSelect])
	}
	if cpu := f[CatRunning] + f[CatSched]; cpu < 0.8 {
		t.Errorf("running+sched is %.1f%% of the path, want most of it", 100*cpu)
	}
	if on := onPath(path); on[cs[0].ID] < (g.End-g.Start)/2 {
		t.Errorf("compute G%d is %.1fms of the %.1fms path, want most", cs[0].ID, float64(on[cs[0].ID])/1e6, float64(g.End-g.Start)/1e6)
	}
}

// TestRecordedPathFromEveryGoroutine checks the properties of paths ending
// on each user goroutine of each recorded trace at the middle of its life.
func TestRecordedPathFromEveryGoroutine(t *testing.T) {
	for _, name := range []string{"cpusleep", "waitgroup", "chansleep", "selectclose"} {
		g, err := Read(bytes.NewReader(recordTrace(t, name)))
		if err != nil {
			t.Fatal(err)
		}
		for _, gr := range g.Goroutines {
			if len(gr.Intervals) == 0 {
				continue
			}
			end := (gr.Intervals[0].Start + gr.Intervals[len(gr.Intervals)-1].End) / 2
			p, err := g.PathFrom(gr.ID, end)
			if err != nil {
				t.Fatal(err)
			}
			checkPath(t, g, gr.ID, end, p)
		}
	}
}
