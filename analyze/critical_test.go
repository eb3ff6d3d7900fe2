package analyze

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/critpath"
	"github.com/advisor-dev/advisor/analyze/internal/tracetest"
	"github.com/advisor-dev/advisor/analyze/report"
)

// cpRecorded caches traces of critpath's testdata programs.
var cpRecorded tracetest.Cache

// cpRecord builds critpath/testdata/<name> with its stand-in hook (a build
// overlay, as package profile adds the real one), runs it and returns the
// trace it wrote.
func cpRecord(tb testing.TB, name string, env ...string) []byte {
	tb.Helper()
	return cpRecorded.Record(tb, filepath.Join("critpath", "testdata", name), filepath.Join("critpath", "testdata", "hook.go.txt"), env...).Trace
}

// cpCheckProperties checks the invariants of the critical-path accounting
// on one trace: the path's intervals sum to the wall time within 1%,
// shares sum to at most 1, and no goroutine off the path has any share.
func cpCheckProperties(t *testing.T, name string, td []byte) {
	t.Helper()
	r, m, err := AttributeModel(AttributeOptions{Trace: bytes.NewReader(td), OwnCode: attrTestOwn})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if m == nil {
		t.Fatalf("%s: no model", name)
	}
	if r.Summary.Accounting != report.AccountingCriticalPath {
		t.Errorf("%s: accounting %q", name, r.Summary.Accounting)
	}
	wall := float64(m.g.End - m.g.Start)
	if sum := float64(critpath.Wall(m.path)); math.Abs(sum-wall) > 0.01*wall {
		t.Errorf("%s: path sums to %.0fns, wall %.0fns", name, sum, wall)
	}
	if got := r.Target.WallSeconds * 1e9; math.Abs(got-wall) > 0.01*wall {
		t.Errorf("%s: wall_seconds %.6f, trace spans %.6fs", name, r.Target.WallSeconds, wall/1e9)
	}
	var shares, bd float64
	for _, h := range r.Hotpaths {
		shares += h.Share
	}
	for _, v := range r.Summary.Breakdown {
		bd += v
	}
	if shares > 1+1e-9 || bd > 1+1e-9 {
		t.Errorf("%s: hot path shares sum to %g, breakdown to %g; want at most 1", name, shares, bd)
	}
	on := make(map[critpath.GoID]bool)
	for i := range m.path {
		on[m.path[i].G] = true
	}
	for site, ps := range m.cp.pieces {
		for _, p := range ps {
			if g := m.path[p.seg].G; !on[g] {
				t.Errorf("%s: site %d has time of goroutine %d, not on the path", name, site, g)
			}
		}
	}
	for _, b := range m.g.Background(m.path) {
		if on[b.G] {
			t.Errorf("%s: background goroutine %d is on the path", name, b.G)
		}
	}
}

// TestCriticalPathProperties runs the property check over recorded traces:
// critpath's demo programs (sleep beside CPU, WaitGroup join, channels,
// select, ping-pong) and workloads recorded in this process.
func TestCriticalPathProperties(t *testing.T) {
	if testing.Short() {
		t.Skip("records traces")
	}
	for _, name := range []string{"cpusleep", "waitgroup", "chansleep", "selectclose"} {
		t.Run(name, func(t *testing.T) { cpCheckProperties(t, name, cpRecord(t, name)) })
	}
	t.Run("pingpong", func(t *testing.T) {
		cpCheckProperties(t, "pingpong", cpRecord(t, "pingpong", "CRITPATH_SIZE=1048576"))
	})
	work := map[string]func() error{
		"fib":   func() error { attrFib(30); return nil },
		"lock":  func() error { attrLockDemo(4, 100); return nil },
		"sleep": func() error { attrSleeper(5, 5*time.Millisecond); return nil },
		"http":  func() error { return attrHTTPDemo(4, 5*time.Millisecond) },
		"mixed": func() error { return attrMixedDemo(27, 4, 5*time.Millisecond) },
	}
	for name, w := range work {
		t.Run(name, func(t *testing.T) {
			td, _ := attrRecord(t, w)
			cpCheckProperties(t, name, td)
		})
	}
}

// BenchmarkAttributeCriticalPath measures Attribute (critical path, in
// flight, background) on the largest recorded demo trace and on an 8 MB
// one: ns per trace event, bytes allocated, the heap the model keeps, and
// the peak heap of one analysis (the heap the process reserved, trace
// included). For the 8 MB trace it also reports how long the program took
// to record it (record-s) and to do the same work untraced (plain-s): the
// analysis (sec/op) should take well under the recording.
func BenchmarkAttributeCriticalPath(b *testing.B) {
	hook := filepath.Join("critpath", "testdata", "hook.go.txt")
	largest := func() tracetest.Recording {
		var rec tracetest.Recording
		for _, name := range []string{"cpusleep", "waitgroup", "chansleep", "selectclose"} {
			if r := cpRecorded.Record(b, filepath.Join("critpath", "testdata", name), hook); len(r.Trace) > len(rec.Trace) {
				rec = r
			}
		}
		return rec
	}
	pingpong := filepath.Join("critpath", "testdata", "pingpong")
	for _, c := range []struct {
		name   string
		rec    func() tracetest.Recording
		untime bool // time the program untraced too
	}{
		{"largest-demo", largest, false},
		{"pingpong-8MB", func() tracetest.Recording { return cpRecorded.Record(b, pingpong, hook, "CRITPATH_SIZE=8388608") }, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			rec := c.rec()
			td := rec.Trace
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, m, err := AttributeModel(AttributeOptions{Trace: bytes.NewReader(td), OwnCode: attrTestOwn})
			if err != nil {
				b.Fatal(err)
			}
			// HeapSys is the heap's address space: it grows to the
			// largest heap of the run and is not given back.
			runtime.ReadMemStats(&after)
			peak := after.HeapSys
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(m)
			events := m.g.Events
			var plain time.Duration
			if c.untime {
				// The last line; the runtime may warn before it.
				out := strings.TrimSpace(string(rec.Output))
				var rounds int
				if _, err := fmt.Sscanf(out[strings.LastIndex(out, "\n")+1:], "rounds %d", &rounds); err != nil {
					b.Fatalf("pingpong's output %q: %v", rec.Output, err)
				}
				plain = tracetest.Run(b, pingpong, hook, false, fmt.Sprintf("CRITPATH_ROUNDS=%d", rounds)).Wall
			}
			m = nil
			b.SetBytes(int64(len(td)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Attribute(AttributeOptions{Trace: bytes.NewReader(td), OwnCode: attrTestOwn}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(events), "ns/event")
			b.ReportMetric(float64(events), "events")
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "model-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			if plain > 0 {
				// After the loop: ResetTimer drops metrics reported before it.
				b.ReportMetric(rec.Wall.Seconds(), "record-s")
				b.ReportMetric(plain.Seconds(), "plain-s")
			}
		})
	}
}
