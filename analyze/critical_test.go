package analyze

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/critpath"
	"github.com/advisor-dev/advisor/analyze/report"
)

// cpRecorded caches traces of critpath's testdata programs.
var cpRecorded struct {
	sync.Mutex
	m map[string][]byte
}

// cpRecord builds critpath/testdata/<name> with its stand-in hook (a build
// overlay, as package profile adds the real one), runs it and returns the
// trace it wrote.
func cpRecord(tb testing.TB, name string, env ...string) []byte {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs a program")
	}
	key := name + "\x00" + filepath.Join(env...)
	cpRecorded.Lock()
	defer cpRecorded.Unlock()
	if b, ok := cpRecorded.m[key]; ok {
		return b
	}
	dir, err := filepath.Abs(filepath.Join("critpath", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	hook, err := filepath.Abs(filepath.Join("critpath", "testdata", "hook.go.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	tmp := tb.TempDir()
	ov, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "0000_hook.go"): hook}})
	if err != nil {
		tb.Fatal(err)
	}
	overlay := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlay, ov, 0o644); err != nil {
		tb.Fatal(err)
	}
	bin := filepath.Join(tmp, name)
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-overlay", overlay, "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building %s: %v\n%s", name, err, out)
	}
	out := filepath.Join(tmp, name+".trace")
	run := exec.Command(bin)
	run.Env = append(append(os.Environ(), "CRITPATH_TRACE="+out, "GOMAXPROCS=2"), env...)
	if b, err := run.CombinedOutput(); err != nil {
		tb.Fatalf("running %s: %v\n%s", name, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	if cpRecorded.m == nil {
		cpRecorded.m = make(map[string][]byte)
	}
	cpRecorded.m[key] = b
	return b
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
// one: ns per trace event, bytes allocated, and the heap the model keeps.
func BenchmarkAttributeCriticalPath(b *testing.B) {
	largest := func() []byte {
		var td []byte
		for _, name := range []string{"cpusleep", "waitgroup", "chansleep", "selectclose"} {
			if t := cpRecord(b, name); len(t) > len(td) {
				td = t
			}
		}
		return td
	}
	for _, c := range []struct {
		name string
		td   func() []byte
	}{
		{"largest-demo", largest},
		{"pingpong-8MB", func() []byte { return cpRecord(b, "pingpong", "CRITPATH_SIZE=8388608") }},
	} {
		b.Run(c.name, func(b *testing.B) {
			td := c.td()
			g, err := critpath.Read(bytes.NewReader(td))
			if err != nil {
				b.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, m, err := AttributeModel(AttributeOptions{Trace: bytes.NewReader(td), OwnCode: attrTestOwn})
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(m)
			b.SetBytes(int64(len(td)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Attribute(AttributeOptions{Trace: bytes.NewReader(td), OwnCode: attrTestOwn}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(g.Events), "ns/event")
			b.ReportMetric(float64(g.Events), "events")
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "model-MB")
		})
	}
}
