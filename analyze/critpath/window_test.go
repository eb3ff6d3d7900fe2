package critpath

import (
	"bytes"
	"context"
	"math/rand/v2"
	"runtime/trace"
	"slices"
	"sync"
	"testing"
	"time"
)

// checkWithin fails on anything that must hold for a path PathWithin
// returns for the span [start, end] ending on goroutine id.
func checkWithin(t *testing.T, id GoID, start, end Time, path []Segment) {
	t.Helper()
	if end == start {
		if len(path) != 0 {
			t.Fatalf("empty span, path %+v", path)
		}
		return
	}
	if len(path) == 0 || path[0].Start != start || path[len(path)-1].End != end {
		t.Fatalf("path %+v does not span [%d, %d]", path, start, end)
	}
	if Wall(path) != end-start {
		t.Fatalf("path sums to %d, span is %d", Wall(path), end-start)
	}
	if last := path[len(path)-1]; last.G != id {
		t.Fatalf("path ends on goroutine %d, want %d", last.G, id)
	}
	for i := 1; i < len(path); i++ {
		if path[i-1].End != path[i].Start || path[i].End <= path[i].Start {
			t.Fatalf("segments %d, %d not contiguous or empty: %+v %+v", i-1, i, path[i-1], path[i])
		}
	}
}

func TestPathWithinGenerated(t *testing.T) {
	for seed := range uint64(200) {
		g := genGraph(t, seed, 30+int(seed)*5)
		r := rand.New(rand.NewPCG(seed, 7))
		gr := g.Goroutines[r.IntN(len(g.Goroutines))]
		if len(gr.Intervals) == 0 {
			continue
		}
		iv := gr.Intervals[r.IntN(len(gr.Intervals))]
		end := iv.Start + 1 + Time(r.Int64N(int64(iv.Duration())))
		start := g.Start + Time(r.Int64N(int64(end-g.Start)+1))
		p, err := g.PathWithin(gr.ID, start, end)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkWithin(t, gr.ID, start, end, p)
		// From the start of the trace it is PathFrom.
		whole, err := g.PathWithin(gr.ID, g.Start, end)
		if err != nil {
			t.Fatal(err)
		}
		from, err := g.PathFrom(gr.ID, end)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(whole, from) {
			t.Fatalf("seed %d: PathWithin from the trace start differs from PathFrom", seed)
		}
		// The what-if of the span: unchanged, it is the span; sped up,
		// never longer; free, within it.
		same, err := g.WhatIfWithin(gr.ID, start, end, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if same != end-start {
			t.Fatalf("seed %d: what-if of [%d, %d] with nothing changed: %d, want %d", seed, start, end, same, end-start)
		}
		fast, err := g.WhatIfWithin(gr.ID, start, end, FuncSpeedup(g, "main.hot", 4))
		if err != nil {
			t.Fatal(err)
		}
		free, err := g.WhatIfWithin(gr.ID, start, end, func(*Goroutine, int) float64 { return 0 })
		if err != nil {
			t.Fatal(err)
		}
		if fast > same || free < 0 || free > fast {
			t.Fatalf("seed %d: what-if of the span: unchanged %d, main.hot 4x %d, all free %d", seed, same, fast, free)
		}
		if w, err := g.WhatIfWithin(gr.ID, g.Start, end, FuncSpeedup(g, "main.hot", 4)); err != nil {
			t.Fatal(err)
		} else if v, _ := g.WhatIf(gr.ID, end, FuncSpeedup(g, "main.hot", 4)); w != v {
			t.Fatalf("seed %d: WhatIfWithin from the trace start %d, WhatIf %d", seed, w, v)
		}
	}
}

func TestPathWithinRejects(t *testing.T) {
	g := genGraph(t, 1, 50)
	gr := g.Goroutines[0]
	for _, c := range []struct{ start, end Time }{{g.End, g.Start}, {g.Start - 1, g.End}, {g.Start, g.End + 1}} {
		if _, err := g.PathWithin(gr.ID, c.start, c.end); err == nil {
			t.Errorf("PathWithin(%d, %d) on a trace [%d, %d]: no error", c.start, c.end, g.Start, g.End)
		}
	}
}

// TestTasks reads the runtime/trace tasks of a traced run: one task per
// "request", handed from the goroutine that begins it to a worker that
// computes and ends it; each task's path from its end back to its start
// is its own time.
func TestTasks(t *testing.T) {
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	type job struct {
		task *trace.Task
		done chan int
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	wg.Go(func() {
		for j := range jobs {
			n := fibTest(20)
			j.task.End()
			j.done <- n
		}
	})
	for range 3 {
		_, task := trace.NewTask(context.Background(), "req")
		done := make(chan int)
		jobs <- job{task, done}
		<-done
		time.Sleep(time.Millisecond)
	}
	close(jobs)
	wg.Wait()
	trace.Stop()
	g, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var req []Task
	for _, tk := range g.Tasks {
		if tk.Type == "req" {
			req = append(req, tk)
		}
	}
	if len(req) != 3 {
		t.Fatalf("tasks %+v: want 3 of type req", g.Tasks)
	}
	for _, tk := range req {
		if !tk.Begun || !tk.Ended || tk.End <= tk.Start || tk.StartG == NoGoroutine || tk.EndG == NoGoroutine || tk.StartG == tk.EndG {
			t.Fatalf("task %+v: want begun on one goroutine and ended on another, after it began", tk)
		}
		p, err := g.PathWithin(tk.EndG, tk.Start, tk.End)
		if err != nil {
			t.Fatal(err)
		}
		checkWithin(t, tk.EndG, tk.Start, tk.End, p)
		// The worker's CPU is the task's: making fibTest free shortens it.
		same, err := g.WhatIfWithin(tk.EndG, tk.Start, tk.End, nil)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := g.WhatIfWithin(tk.EndG, tk.Start, tk.End, FuncSpeedup(g, "github.com/advisor-dev/advisor/analyze/critpath.fibTest", 1e6))
		if err != nil {
			t.Fatal(err)
		}
		if same != tk.End-tk.Start || fast > same {
			t.Fatalf("task what-if: unchanged %d (span %d), fibTest free %d", same, tk.End-tk.Start, fast)
		}
	}
}

func TestTaskEvents(t *testing.T) {
	b := NewBuilder()
	evs := []Event{
		{Kind: EventTransition, Time: 10, G: 1, Ctx: 1, From: StateUnknown, To: StateRunning},
		{Kind: EventTaskEnd, Time: 12, Task: 7, Ctx: 1},                           // begun before the trace
		{Kind: EventTaskBegin, Time: 15, Task: 8, Reason: "a", Ctx: 1},            // still open at the end
		{Kind: EventTaskBegin, Time: 16, Task: 9, Reason: "b", Ctx: 1, Parent: 8}, // begun and ended
		{Kind: EventTaskEnd, Time: 18, Task: 9, Ctx: 1},                           //
		{Kind: EventTaskBegin, Time: 19, Task: 9, Reason: "b2", Ctx: 1},           // the ID reused
		{Kind: EventTaskEnd, Time: 20, Task: 9, Ctx: 1},
		{Kind: EventTime, Time: 30},
	}
	for _, ev := range evs {
		if err := b.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Graph()
	want := []Task{
		{ID: 7, StartG: NoGoroutine, EndG: 1, Start: 10, End: 12, Ended: true},
		{ID: 8, Type: "a", StartG: 1, EndG: NoGoroutine, Start: 15, End: 30, Begun: true},
		{ID: 9, Parent: 8, Type: "b", StartG: 1, EndG: 1, Start: 16, End: 18, Begun: true, Ended: true},
		{ID: 9, Type: "b2", StartG: 1, EndG: 1, Start: 19, End: 20, Begun: true, Ended: true},
	}
	if !slices.Equal(g.Tasks, want) {
		t.Fatalf("tasks\n%+v\nwant\n%+v", g.Tasks, want)
	}
}
