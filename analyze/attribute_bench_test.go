package analyze

import (
	"bytes"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"testing"

	xtrace "golang.org/x/exp/trace"
)

// attrBusyTrace records a trace of at least size bytes of a busy program:
// goroutines handing work over channels, contending on a mutex and
// computing, with the CPU profiler on (as the advisor hook runs it).
func attrBusyTrace(b *testing.B, size int) []byte {
	b.Helper()
	var tb, cb bytes.Buffer
	if err := trace.Start(&tb); err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(&cb); err != nil {
		trace.Stop()
		b.Fatal(err)
	}
	var mu sync.Mutex
	shared := 0
	for tb.Len() < size {
		work := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range work {
					v := attrFib(n)
					mu.Lock()
					shared += v
					mu.Unlock()
				}
			}()
		}
		for i := 0; i < 2000; i++ {
			work <- 12
		}
		close(work)
		wg.Wait()
	}
	pprof.StopCPUProfile()
	trace.Stop()
	return tb.Bytes()
}

// BenchmarkAttribute measures Attribute on a ~10 MB trace; ns/MB is the
// figure to compare (the trace parser dominates).
func BenchmarkAttribute(b *testing.B) {
	td := attrBusyTrace(b, 10<<20)
	b.SetBytes(int64(len(td)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Attribute(AttributeOptions{Trace: bytes.NewReader(td), OwnCode: attrTestOwn}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(float64(len(td))/(1<<20)), "ns/MB")
}

// BenchmarkReadTraceOnly is the floor: x/exp/trace reading every event and
// nothing else, to show what attribution adds.
func BenchmarkReadTraceOnly(b *testing.B) {
	td := attrBusyTrace(b, 10<<20)
	b.SetBytes(int64(len(td)))
	b.ResetTimer()
	for b.Loop() {
		r, err := newTraceReaderForBench(td)
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.ReadEvent(); err != nil {
				break
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(float64(len(td))/(1<<20)), "ns/MB")
}

func newTraceReaderForBench(td []byte) (*xtrace.Reader, error) {
	return xtrace.NewReader(bytes.NewReader(td))
}
