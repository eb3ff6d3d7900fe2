package critpath

import (
	"bytes"
	"math/rand/v2"
	"runtime/trace"
	"sync"
	"testing"
	"time"
)

// seedTrace records a small trace of this test process: a few goroutines
// that sleep, compute and hand values over a channel.
func seedTrace(f *testing.F) []byte { return seedTraceT(f) }

func seedTraceT(tb testing.TB) []byte {
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	c := make(chan int)
	for i := range 3 {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * time.Millisecond)
			c <- fibTest(18 + i)
		})
	}
	for range 3 {
		<-c
	}
	wg.Wait()
	trace.Stop()
	return buf.Bytes()
}

func fibTest(n int) int {
	if n < 2 {
		return n
	}
	return fibTest(n-1) + fibTest(n-2)
}

// FuzzRead feeds arbitrary bytes as a trace: Read returns a graph or an
// error, never panics, and whatever graph it returns gives a valid path.
func FuzzRead(f *testing.F) {
	td := seedTrace(f)
	for _, s := range [][]byte{td, td[:len(td)/2], td[:len(td)-7], td[:64], nil, []byte("go 1.26 trace\x00\x00\x00")} {
		f.Add(s)
	}
	f.Fuzz(checkRead)
}

// checkRead reads data as a trace and checks whatever comes out.
func checkRead(t *testing.T, data []byte) {
	g, err := Read(bytes.NewReader(data))
	if g == nil {
		if err == nil {
			t.Fatal("no graph and no error")
		}
		return
	}
	if g.Main == NoGoroutine {
		return
	}
	path, err := g.Path()
	if err != nil {
		t.Fatal(err)
	}
	checkPath(t, g, g.Main, g.End, path)
}

// TestReadMutated is FuzzRead's check on a few thousand seeded mutations of
// a real trace (cuts, flipped and inserted bytes), so that plain go test
// covers damaged input too.
func TestReadMutated(t *testing.T) {
	td := seedTraceT(t)
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		b := append([]byte(nil), td[:r.IntN(len(td)+1)]...)
		for range r.IntN(8) {
			if len(b) == 0 {
				break
			}
			switch i := r.IntN(len(b)); r.IntN(3) {
			case 0:
				b[i] ^= byte(1 << r.IntN(8))
			case 1:
				b[i] = byte(r.IntN(256))
			case 2:
				b = append(b[:i], append([]byte{byte(r.IntN(256))}, b[i:]...)...)
			}
		}
		checkRead(t, b)
	}
}
