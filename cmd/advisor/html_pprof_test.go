package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The pprof web UI itself is tested in internal/render; this tests the
// wiring of --http.

// cancelOnWrite cancels a context when a line containing marker is written.
type cancelOnWrite struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	cancel context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.marker) {
		w.cancel()
	}
	return len(p), nil
}

// TestHTTPStopsOnInterrupt: --http says "Ctrl-C to stop"; Ctrl-C cancels
// the context (main catches the signal), so advisor must return then.
func TestHTTPStopsOnInterrupt(t *testing.T) {
	path := filepath.Join("testdata", "fib.pprof") // a symbolized fib profile; render's tests build it
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &cancelOnWrite{marker: "Ctrl-C to stop", cancel: cancel}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, []string{"--http", "127.0.0.1:0", "--profile", path}) }()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after the interrupt; stderr:\n%s", code, stderr.buf.String())
		}
	case <-time.After(time.Minute):
		// Not a timing assertion: without the fix, run never returns.
		t.Fatalf("advisor still serving a minute after the interrupt; stderr:\n%s", stderr.buf.String())
	}
}
