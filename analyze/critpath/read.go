package critpath

import (
	"errors"
	"fmt"
	"io"

	"golang.org/x/exp/trace"
)

// Read builds a Graph from an execution trace (as written by runtime/trace)
// in one pass over its events. A trace that fails part-way returns the
// graph of the events read so far together with the error; a trace with no
// events returns a nil graph and an error.
func Read(r io.Reader) (*Graph, error) {
	b := NewBuilder()
	procs := make(map[trace.ProcID]bool)
	err := readEvents(r, b, procs)
	if b.g.Events == 0 {
		if err == nil {
			err = errors.New("trace holds no events")
		}
		return nil, fmt.Errorf("critpath: reading trace: %w", err)
	}
	g := b.Graph()
	g.Procs = len(procs)
	if err != nil {
		return g, fmt.Errorf("critpath: reading trace (partial after %d events): %w", g.Events, err)
	}
	return g, nil
}

// readEvents feeds a trace's events to b until EOF or the first error.
// A panic in the trace parser (it reads untrusted bytes) becomes the error;
// one in the Builder is not caught: its bugs must show. One deferred
// recover serves the whole loop (a guard per event cost a closure and a
// defer for each of millions of events).
func readEvents(r io.Reader, b *Builder, procs map[trace.ProcID]bool) (err error) {
	parsing := true
	defer func() {
		if parsing {
			if p := recover(); p != nil {
				err = fmt.Errorf("trace parser failed: %v", p)
			}
		}
	}()
	tr, err := trace.NewReader(r)
	if err != nil {
		return err
	}
	stacks := make(map[trace.Stack]StackID)
	var buf []Frame
	stack := func(s trace.Stack) StackID {
		if s == trace.NoStack {
			return NoStack
		}
		if id, ok := stacks[s]; ok {
			return id
		}
		buf = buf[:0]
		for f := range s.Frames() {
			buf = append(buf, Frame{Func: f.Func, File: f.File, Line: int(f.Line)})
		}
		parsing = false
		id := b.Stack(buf)
		parsing = true
		stacks[s] = id
		return id
	}
	for {
		parsing = true
		tev, err := tr.ReadEvent()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		ev, skip := convert(tev, stack, procs)
		parsing = false
		if skip {
			continue
		}
		if err := b.Add(ev); err != nil {
			return err
		}
	}
}

// convert maps a trace event to an Event; skip is set for events that do
// not even advance the clock. It notes the procs seen in procs.
func convert(tev trace.Event, stack func(trace.Stack) StackID, procs map[trace.ProcID]bool) (ev Event, skip bool) {
	ev = Event{Kind: EventTime, Time: Time(tev.Time()), G: NoGoroutine, Ctx: GoID(tev.Goroutine())}
	switch tev.Kind() {
	case trace.EventSync:
		return ev, true
	case trace.EventTaskBegin, trace.EventTaskEnd:
		task := tev.Task()
		ev.Kind, ev.Task, ev.Reason = EventTaskBegin, uint64(task.ID), task.Type
		if task.Parent != trace.NoTask && task.Parent != trace.BackgroundTask {
			ev.Parent = uint64(task.Parent)
		}
		if tev.Kind() == trace.EventTaskEnd {
			ev.Kind = EventTaskEnd
		}
		if task.ID == trace.BackgroundTask || ev.Ctx == NoGoroutine {
			ev.Kind = EventTime
		}
	case trace.EventStackSample:
		ev.Kind, ev.G, ev.Stack = EventSample, GoID(tev.Goroutine()), stack(tev.Stack())
	case trace.EventStateTransition:
		// One call: StateTransition builds its result on every call, and
		// there is one per transition of millions.
		st := tev.StateTransition()
		if st.Resource.Kind == trace.ResourceProc {
			procs[st.Resource.Proc()] = true
		}
		if st.Resource.Kind != trace.ResourceGoroutine {
			break
		}
		from, to := st.Goroutine()
		ev.Kind, ev.G = EventTransition, GoID(st.Resource.Goroutine())
		ev.From, ev.To = goState(from), goState(to)
		ev.Reason, ev.Stack = st.Reason, stack(st.Stack)
		if ev.To == StateUnknown {
			// Not a state a goroutine can go to; keep the time only.
			ev.Kind = EventTime
		}
	}
	return ev, false
}

func goState(s trace.GoState) State {
	switch s {
	case trace.GoNotExist:
		return StateNotExist
	case trace.GoRunnable:
		return StateRunnable
	case trace.GoRunning:
		return StateRunning
	case trace.GoSyscall:
		return StateSyscall
	case trace.GoWaiting:
		return StateWaiting
	}
	return StateUnknown
}
