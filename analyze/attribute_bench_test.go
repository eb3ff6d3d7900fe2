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

// BenchmarkAttribute measures Attribute on a ~10 MB trace against the floor
// of x/exp/trace reading the same events and doing nothing else; ns/MB is
// the figure to compare.
func BenchmarkAttribute(b *testing.B) {
	td := attrBusyTrace(b, 10<<20)
	mb := float64(len(td)) / (1 << 20)
	b.Run("read-only", func(b *testing.B) {
		b.SetBytes(int64(len(td)))
		for b.Loop() {
			r, err := xtrace.NewReader(bytes.NewReader(td))
			if err != nil {
				b.Fatal(err)
			}
			for {
				if _, err := r.ReadEvent(); err != nil {
					break
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/mb, "ns/MB")
	})
	b.Run("attribute", func(b *testing.B) {
		b.SetBytes(int64(len(td)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Attribute(AttributeOptions{Trace: bytes.NewReader(td), OwnCode: attrTestOwn}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/mb, "ns/MB")
	})
}
