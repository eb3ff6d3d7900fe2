package analyze

import (
	"cmp"
	"iter"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/advisor-dev/advisor/analyze/critpath"
	"github.com/advisor-dev/advisor/analyze/internal/grow"
	"github.com/advisor-dev/advisor/analyze/report"
)

// inFlight returns how many goroutines were doing what hot path fn did
// while the path was in it: for a CPU hot path the goroutines running, for
// any other the goroutines waiting (or in a system call) with fn on their
// stack. pieces are the hot path's parts of the path.
func (c *cpCtx) inFlight(fn string, class string, pieces []attrPiece) float64 {
	cpu := class == report.ClassCPU
	var st *stepFn
	if cpu {
		// The same count serves every CPU hot path: built once.
		if c.runningCount == nil {
			c.runningCount = c.countWhere(func(gr *critpath.Goroutine, iv *critpath.Interval) bool {
				return iv.State == critpath.StateRunning
			})
		}
		st = c.runningCount
	} else {
		has := make(map[critpath.StackID]bool)
		st = c.countWhere(func(gr *critpath.Goroutine, iv *critpath.Interval) bool {
			if iv.State != critpath.StateWaiting && iv.State != critpath.StateSyscall || iv.Stack == critpath.NoStack {
				return false
			}
			v, ok := has[iv.Stack]
			if !ok {
				v = c.g.StackHas(iv.Stack, fn)
				has[iv.Stack] = v
			}
			return v
		})
	}
	return st.weightedAvg(c.path, slices.Values([][]attrPiece{pieces}), func(p attrPiece) bool {
		return (p.state == attrCPU || p.state == attrGC || p.state == attrSched) == cpu
	})
}

// ioInFlight returns how many goroutines waited on I/O at once, on average,
// while the path waited on I/O: goroutines in own code blocked on the
// network or a system call, or waiting inside an I/O package (http.Get's
// select). Library goroutines with no own frame (net/http's connection
// loops, idle keep-alive reads) mirror the own-code waits and are left out.
func (c *cpCtx) ioInFlight() float64 {
	own := make(map[critpath.StackID]bool)
	st := c.countWhere(func(gr *critpath.Goroutine, iv *critpath.Interval) bool {
		if iv.State != critpath.StateWaiting && iv.State != critpath.StateSyscall || iv.Stack == critpath.NoStack {
			return false
		}
		v, ok := own[iv.Stack]
		if !ok {
			si := c.stack(iv.Stack)
			v = si.site != attrNoSite && !si.hook && (iv.State == critpath.StateSyscall || iv.Category == critpath.CatNetwork || c.ioStack(iv.Stack))
			own[iv.Stack] = v
		}
		return v
	})
	return st.weightedAvg(c.path, maps.Values(c.pieces), func(p attrPiece) bool { return p.state == attrNetwork || p.state == attrSyscall })
}

// ioStack reports whether a stack passes through an I/O package.
func (c *cpCtx) ioStack(id critpath.StackID) bool {
	for _, f := range c.g.Stack(id) {
		switch pkg := FuncPackage(f.Func); {
		case pkg == "net", pkg == "os", pkg == "internal/poll", pkg == "crypto/tls", pkg == "database/sql",
			strings.HasPrefix(pkg, "net/"), strings.HasPrefix(pkg, "google.golang.org/grpc"):
			return true
		}
	}
	return false
}

// countWhere counts, over time, the program's goroutines in an interval
// that match.
func (c *cpCtx) countWhere(match func(*critpath.Goroutine, *critpath.Interval) bool) *stepFn {
	var es []stepEdge
	for _, gr := range c.g.Goroutines {
		if gr.System || c.hookG[gr.ID] {
			continue
		}
		for i := range gr.Intervals {
			if iv := &gr.Intervals[i]; match(gr, iv) {
				es = grow.Append(grow.Append(es, stepEdge{iv.Start, 1}), stepEdge{iv.End, -1})
			}
		}
	}
	return newStep(es)
}

// stepEdge changes a count by d at t.
type stepEdge struct {
	t critpath.Time
	d int32
}

// stepFn is a count over time with its running integral.
type stepFn struct {
	times []critpath.Time
	count []int32
	area  []float64
}

func newStep(es []stepEdge) *stepFn {
	slices.SortFunc(es, func(a, b stepEdge) int { return cmp.Compare(a.t, b.t) })
	s := new(stepFn)
	var n int32
	for _, e := range es {
		n += e.d
		if k := len(s.times); k > 0 && s.times[k-1] == e.t {
			s.count[k-1] = n
			continue
		}
		a := 0.0
		if k := len(s.times); k > 0 {
			a = s.area[k-1] + float64(s.count[k-1])*float64(e.t-s.times[k-1])
		}
		s.times, s.count, s.area = append(s.times, e.t), append(s.count, n), append(s.area, a)
	}
	return s
}

func (s *stepFn) integral(t critpath.Time) float64 {
	i := sort.Search(len(s.times), func(i int) bool { return s.times[i] > t }) - 1
	if i < 0 {
		return 0
	}
	return s.area[i] + float64(s.count[i])*float64(t-s.times[i])
}

// avg is the average count over [a, b).
// weightedAvg is the average count (at least 1: the path's own goroutine)
// over the pieces (of path's segments) keep selects, weighted by their
// attributed time.
func (s *stepFn) weightedAvg(path []critpath.Segment, pieces iter.Seq[[]attrPiece], keep func(attrPiece) bool) float64 {
	var area, dur float64
	for ps := range pieces {
		for _, p := range ps {
			seg := &path[p.seg]
			if !keep(p) || seg.End <= seg.Start {
				continue
			}
			d := float64(seg.Duration()) * p.w
			area += max(1, s.avg(seg.Start, seg.End)) * d
			dur += d
		}
	}
	if dur <= 0 {
		return 0
	}
	return round3(area / dur)
}

func (s *stepFn) avg(a, b critpath.Time) float64 {
	if b <= a {
		return 0
	}
	return (s.integral(b) - s.integral(a)) / float64(b-a)
}
