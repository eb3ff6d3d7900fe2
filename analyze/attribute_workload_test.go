package analyze

// Workloads for the attribution tests: the "target's own code" of those
// tests is exactly this file (see attrTestOwn), like a user's main package.
// Each mirrors one demo class of issue 3.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/trace"
	"sync"
	"time"
)

// attrFib is naive recursive Fibonacci: CPU-bound, deep, overlapping.
func attrFib(n int) int {
	if n < 2 {
		return n
	}
	return attrFib(n-1) + attrFib(n-2)
}

// attrMandelbrot renders a w×h Mandelbrot set serially, on one core.
func attrMandelbrot(w, h, maxIter int) int {
	inside := 0
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			cr := float64(px)/float64(w)*3.5 - 2.5
			ci := float64(py)/float64(h)*2 - 1
			zr, zi, i := 0.0, 0.0, 0
			for ; i < maxIter && zr*zr+zi*zi < 4; i++ {
				zr, zi = zr*zr-zi*zi+cr, 2*zr*zi+ci
			}
			if i == maxIter {
				inside++
			}
		}
	}
	return inside
}

// attrNewSlowServer starts a loopback HTTP server whose handler takes delay.
func attrNewSlowServer(delay time.Duration) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		fmt.Fprintln(w, "ok")
	}))
}

// attrFetchAll GETs url n times, one after another.
func attrFetchAll(url string, n int) error {
	for i := 0; i < n; i++ {
		resp, err := http.Get(url) // the hot line: waits on the network
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// attrHTTPDemo runs sequential GETs against a slow loopback server.
func attrHTTPDemo(n int, delay time.Duration) error {
	srv := attrNewSlowServer(delay)
	defer srv.Close()
	return attrFetchAll(srv.URL, n)
}

// attrReadTree walks dir and reads every file through a small buffer,
// rounds times: file/syscall-heavy with little computation.
func attrReadTree(dir string, rounds int) (int64, error) {
	buf := make([]byte, 4096)
	var total int64
	for r := 0; r < rounds; r++ {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			for {
				n, err := f.Read(buf) // the hot line: a read(2) per 4 KiB
				total += int64(n)
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
			}
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// attrLockDemo runs workers that spend their time queueing for one mutex.
func attrLockDemo(workers, iters int) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	shared := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			attrLockWorker(&mu, &shared, iters)
		}()
	}
	wg.Wait()
	return shared
}

// attrLockWorker holds mu while computing, so the others wait for it.
func attrLockWorker(mu *sync.Mutex, shared *int, iters int) {
	for i := 0; i < iters; i++ {
		mu.Lock() // the hot line: contended
		*shared += attrFib(22)
		mu.Unlock()
	}
}

// attrSleeper mostly sleeps.
func attrSleeper(n int, d time.Duration) int {
	s := 0
	for i := 0; i < n; i++ {
		time.Sleep(d) // the hot line
		s += i
	}
	return s
}

// attrMixedDemo computes and fetches at the same time: two hot paths of
// different classes.
func attrMixedDemo(fibN, gets int, delay time.Duration) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		attrFib(fibN)
	}()
	err := attrHTTPDemo(gets, delay)
	wg.Wait()
	return err
}

// attrHookStart stands in for the advisor hook (its prefix is the tests'
// HookPrefix): it computes on the calling goroutine, as the hook does at
// init, and starts a goroutine of its own that computes until stop closes.
func attrHookStart(stop <-chan struct{}) {
	attrHookBurn(24)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				attrHookBurn(20)
			}
		}
	}()
}

// attrHookBurn is CPU work that belongs to the hook.
func attrHookBurn(n int) int {
	if n < 2 {
		return n
	}
	return attrHookBurn(n-1) + attrHookBurn(n-2)
}

// attrSleepWithHook is a sleeping program with the hook computing alongside.
func attrSleepWithHook() {
	stop := make(chan struct{})
	attrHookStart(stop)
	attrSleeper(10, 10*time.Millisecond)
	close(stop)
}

// attrHandleWork is a handler that computes for every request (after a
// short wait, as for a database, so the trace sees it in the handler).
func attrHandleWork(w http.ResponseWriter, r *http.Request) {
	time.Sleep(100 * time.Microsecond)
	fmt.Fprintln(w, attrFib(30))
}

// attrServeRequests serves n requests to attrHandleWork over one
// keep-alive connection from an in-process client, with a worker pool idle
// beside the server, then leaves the server idle for idle.
func attrServeRequests(n int, idle time.Duration) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/work", attrHandleWork)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	jobs := make(chan func())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for j := range jobs {
				j()
			}
		})
	}
	defer wg.Wait()
	defer close(jobs)
	get := func(path string) error {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	for range n {
		if err := get("/work"); err != nil {
			return err
		}
	}
	time.Sleep(idle)
	return nil
}

// attrTaskRequests runs n runtime/trace tasks "job", each begun here and
// ended by a worker after computing.
func attrTaskRequests(n int) {
	type job struct {
		task *trace.Task
		done chan struct{}
	}
	jobs := make(chan job)
	go func() {
		for j := range jobs {
			attrFib(30)
			j.task.End()
			close(j.done)
		}
	}()
	for range n {
		_, task := trace.NewTask(context.Background(), "job")
		j := job{task, make(chan struct{})}
		jobs <- j
		<-j.done
		time.Sleep(2 * time.Millisecond)
	}
	close(jobs)
}
