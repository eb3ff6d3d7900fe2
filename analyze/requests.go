package analyze

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze/critpath"
	"github.com/advisor-dev/advisor/analyze/report"
)

// A window of a running server (--from, --seconds, a run cut by --timeout)
// has no single end to walk back from: the user waits for each request, not
// for the program. So each request is walked back on its own, from its end
// to its start (critpath.Graph.PathWithin), and waiting for the next request
// is idle: on no request's path.

// request is one unit of a server's work in a window.
type request struct {
	// g is the goroutine the request ended on; its path is walked back
	// from there.
	g          critpath.GoID
	start, end critpath.Time
	// handler is the function that served it (net/http), or the task's
	// type (runtime/trace); "" when no stack showed it.
	handler string
	// cut says the request began before the window or was still being
	// served at its end: only its part inside the window is counted.
	cut bool
}

// requestSet is what a window's requests are, and what was left out.
type requestSet struct {
	reqs []request
	// server says the program serves: an accept loop, a net/http
	// connection or a runtime/trace task was seen.
	server bool
	// collector counts the requests to net/http/pprof left out: the
	// collection itself (advisor --from), not the program's work.
	collector int
	// tasks says the requests are runtime/trace tasks.
	tasks bool
}

// Stack traits the request finder looks for, computed once per stack.
const (
	stkKnown   = 1 << iota // computed
	stkServing             // inside a handler or finishing its response
	stkPprof               // in net/http/pprof: the collector's own request
	stkIdle                // a net/http connection reading the next request (idle while it waits)
	stkAccept              // a listener waiting for a connection
	stkFinish              // finishing a response
)

// netHTTPConn and the runHandler functions start the goroutines that serve
// requests: one per connection (HTTP/1), one per request (HTTP/2).
const netHTTPConn = "net/http.(*conn).serve"

func isH2Handler(fn string) bool {
	return fn == "net/http.(*http2serverConn).runHandler" || fn == "golang.org/x/net/http2.(*serverConn).runHandler"
}

// traits returns the request finder's traits of a stack.
func (c *cpCtx) traits(id critpath.StackID) uint8 {
	if id <= critpath.NoStack || int(id) >= len(c.g.Stacks) {
		return 0
	}
	if c.stk == nil {
		c.stk = make([]uint8, len(c.g.Stacks))
	}
	if t := c.stk[id]; t&stkKnown != 0 {
		return t
	}
	t := uint8(stkKnown)
	conn, reading := false, false
	for _, f := range c.g.Stack(id) {
		switch fn := f.Func; {
		case fn == "net/http.(*response).finishRequest":
			t |= stkServing | stkFinish
		case fn == "net/http.serverHandler.ServeHTTP", isH2Handler(fn):
			t |= stkServing
		case FuncPackage(fn) == "net/http/pprof":
			t |= stkPprof
		case fn == netHTTPConn:
			conn = true
		case fn == "net/http.(*conn).readRequest", strings.HasPrefix(fn, "bufio.(*Reader)."), strings.HasPrefix(fn, "crypto/tls.(*Conn).Handshake"):
			reading = true
		case strings.HasPrefix(fn, "net.(*") && strings.HasSuffix(fn, "Listener).Accept"):
			t |= stkAccept
		}
	}
	if conn && reading && t&stkServing == 0 {
		t |= stkIdle
	}
	c.stk[id] = t
	return t
}

// findRequests returns the window's requests: the program's runtime/trace
// tasks when it defines any, else the requests net/http served.
func (c *cpCtx) findRequests() requestSet {
	var rs requestSet
	for _, tk := range c.g.Tasks {
		if tk.Parent != 0 {
			continue // a subtask is part of its parent's time
		}
		g := tk.EndG
		if g == critpath.NoGoroutine {
			g = tk.StartG
		}
		if gr := c.g.Goroutine(g); gr == nil || c.hookG[g] || gr.System {
			continue
		}
		rs.reqs = append(rs.reqs, request{g: g, start: tk.Start, end: tk.End, handler: tk.Type, cut: !tk.Begun || !tk.Ended})
	}
	if len(rs.reqs) > 0 {
		rs.server, rs.tasks = true, true
		return rs
	}
	for _, gr := range c.g.Goroutines {
		if gr.System || c.hookG[gr.ID] {
			continue
		}
		switch {
		case gr.StartFunc == netHTTPConn:
			rs.server = true
			c.connRequests(gr, &rs)
		case isH2Handler(gr.StartFunc) && len(gr.Intervals) > 0:
			rs.server = true
			ivs := gr.Intervals
			c.addRequest(gr, ivs[0].Start, ivs[len(ivs)-1].End, gr.Creator == critpath.NoGoroutine || ivs[len(ivs)-1].End == c.g.End, &rs)
		default:
			if !rs.server {
				for i := range gr.Intervals {
					if c.traits(gr.Intervals[i].Stack)&stkAccept != 0 {
						rs.server = true
						break
					}
				}
			}
		}
	}
	slices.SortFunc(rs.reqs, func(x, y request) int { return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.g, y.g)) })
	return rs
}

// connRequests splits a net/http connection goroutine's timeline at its
// idle waits (for the next request's bytes: a keep-alive read, the first
// read of a new connection, a TLS handshake) and keeps the spans between
// them that served a request. A span in which the connection went on
// reading a request after finishing a response (the next request had
// arrived before it waited) is split there; back-to-back requests with no
// system call in between still count as one.
func (c *cpCtx) connRequests(gr *critpath.Goroutine, rs *requestSet) {
	ivs := gr.Intervals
	from := 0         // first interval of the current span
	finished := false // the span finished a response
	for i := 0; i <= len(ivs); i++ {
		next := i + 1 // where the span after this boundary begins
		if i < len(ivs) {
			iv := &ivs[i]
			t := c.traits(iv.Stack)
			switch {
			case iv.State == critpath.StateWaiting && t&stkIdle != 0:
			case finished && t&stkIdle != 0 && i > from:
				next = i // this interval reads the next request
			default:
				finished = finished || t&stkFinish != 0
				continue
			}
		}
		if i > from {
			start, end := ivs[from].Start, ivs[i-1].End
			cut := from == 0 && start == c.g.Start && gr.Creator == critpath.NoGoroutine || i == len(ivs) && end == c.g.End
			c.addRequest(gr, start, end, cut, rs)
		}
		from, finished = next, false
	}
}

// addRequest adds the span [start, end] of gr as a request if it served
// one: some stack of gr in it (a wait, a system call, a CPU sample) is in a
// handler or finishing a response. A request to net/http/pprof is the
// collector's and is counted apart.
func (c *cpCtx) addRequest(gr *critpath.Goroutine, start, end critpath.Time, cut bool, rs *requestSet) {
	if end <= start {
		return
	}
	var stacks []critpath.StackID
	for i := gr.At(start + 1); i >= 0 && i < len(gr.Intervals) && gr.Intervals[i].Start < end; i++ {
		if s := gr.Intervals[i].Stack; s != critpath.NoStack {
			stacks = append(stacks, s)
		}
	}
	for _, s := range gr.SamplesIn(start, end) {
		stacks = append(stacks, s.Stack)
	}
	serving, pprof := false, false
	handlers := make(map[string]int)
	for _, s := range stacks {
		t := c.traits(s)
		serving = serving || t&stkServing != 0
		pprof = pprof || t&stkPprof != 0
		if h := c.handlerOf(s); h != "" {
			handlers[h]++
		}
	}
	if !serving && !isH2Handler(gr.StartFunc) {
		return // a connection closed, or a request not read to its end
	}
	if pprof {
		rs.collector++
		return
	}
	best, n := "", 0
	for h, k := range handlers {
		if k > n || k == n && h < best {
			best, n = h, k
		}
	}
	rs.reqs = append(rs.reqs, request{g: gr.ID, start: start, end: end, handler: best, cut: cut})
}

// handlerOf returns the handler in a stack: the first function net/http's
// dispatch (serverHandler.ServeHTTP, ServeMux, HandlerFunc) calls, "" when
// the stack is not inside one.
func (c *cpCtx) handlerOf(id critpath.StackID) string {
	fs := c.g.Stack(id) // innermost first
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Func != "net/http.serverHandler.ServeHTTP" && !isH2Handler(fs[i].Func) {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			if FuncPackage(fs[j].Func) != "net/http" {
				return fs[j].Func
			}
		}
		return ""
	}
	return ""
}

// idleWindow reports whether the program did nothing worth measuring in
// the window: it used less than 5% of one core, below anything a
// recommendation would be made for. A server with no requests and such a
// window is idle. CPU comes from the CPU profile (the window's, outside
// the hook), else the trace's CPU samples, else (no profiler) the trace's
// running time, which a loaded machine inflates.
func (c *cpCtx) idleWindow() bool {
	w := c.g.End - c.g.Start
	if w <= 0 {
		return true
	}
	limit := 0.05 * float64(w)
	if p := c.a.o.CPU; p != nil {
		_, nanos := c.a.cpuTotal(p)
		return nanos < limit
	}
	var running critpath.Time
	samples := 0
	for _, gr := range c.g.Goroutines {
		if gr.System || c.hookG[gr.ID] {
			continue
		}
		samples += len(gr.Samples)
		for i := range gr.Intervals {
			if iv := &gr.Intervals[i]; iv.State == critpath.StateRunning {
				running += iv.Duration()
			}
		}
	}
	if samples > 0 {
		return float64(samples)*1e9/defaultSampleHz < limit
	}
	return float64(running) < limit
}

// requestStats is what the report says of a window's requests.
type requestStats struct {
	n, cut, collector int
	tasks             bool
	// seconds is the requests' time (the sum of their paths), busy the
	// fraction of the window with at least one request in flight.
	seconds, busy float64
	handlers      []report.Handler
}

// stats sums the requests per handler; paths are their critical paths.
func (rs *requestSet) stats(paths [][]critpath.Segment, window critpath.Time) *requestStats {
	st := &requestStats{n: len(rs.reqs), collector: rs.collector, tasks: rs.tasks}
	type agg struct {
		n int
		t critpath.Time
	}
	by := make(map[string]*agg)
	var total critpath.Time
	for i, r := range rs.reqs {
		if r.cut {
			st.cut++
		}
		d := critpath.Wall(paths[i])
		total += d
		h := r.handler
		if h == "" {
			h = "(unknown)"
		}
		if by[h] == nil {
			by[h] = &agg{}
		}
		by[h].n++
		by[h].t += d
	}
	st.seconds = float64(total) / 1e9
	for h, ag := range by {
		st.handlers = append(st.handlers, report.Handler{
			Function: h, Requests: ag.n, Seconds: round3(float64(ag.t) / 1e9),
			MeanSeconds: float64(ag.t) / 1e9 / float64(ag.n), Share: attrFraction(float64(ag.t), float64(total)),
		})
	}
	slices.SortFunc(st.handlers, func(x, y report.Handler) int {
		return cmp.Or(cmp.Compare(y.Seconds, x.Seconds), strings.Compare(x.Function, y.Function))
	})
	for i := range st.handlers {
		st.handlers[i].MeanSeconds = round6(st.handlers[i].MeanSeconds)
	}
	// The union of the requests' spans: the time the server was serving.
	var busy, reach critpath.Time
	for _, r := range rs.reqs { // sorted by start
		s := max(r.start, reach)
		if r.end > s {
			busy += r.end - s
		}
		reach = max(reach, r.end)
	}
	if window > 0 {
		st.busy = float64(busy) / float64(window)
	}
	return st
}

// note is the report's one-line account of the window's requests.
func (st *requestStats) note(window float64) string {
	var b strings.Builder
	what := "requests"
	if st.tasks {
		what = "runtime/trace tasks"
	}
	if st.n == 0 {
		fmt.Fprintf(&b, "no request was served in the %.2fs window and the program ran for less than 5%% of a core: the server was idle (its goroutines waited for work)", window)
	} else {
		fmt.Fprintf(&b, "attributed per request: %d %s in the %.2fs window", st.n, what, window)
		if st.cut > 0 {
			fmt.Fprintf(&b, " (%d cut by its edges)", st.cut)
		}
		fmt.Fprintf(&b, ", %.3gs of request time; shares are fractions of it; at least one request was in flight %.0f%% of the window, the rest was waiting for requests (idle)", st.seconds, 100*min(st.busy, 1))
	}
	if st.collector > 0 {
		fmt.Fprintf(&b, "; %d requests to net/http/pprof (the collection itself) left out", st.collector)
	}
	return b.String()
}

// round6 rounds x to six decimal places (microseconds, for seconds).
func round6(x float64) float64 { return float64(int64(x*1e6+0.5)) / 1e6 }
