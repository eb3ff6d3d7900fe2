package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"
)

// burnUntil spins on the CPU until stop is set.
func burnUntil(stop *atomic.Bool) int {
	x := 0
	for !stop.Load() {
		for i := range 10000 {
			x += i % 7
		}
	}
	return x
}

// TestFromLiveServer collects from a live net/http/pprof endpoint while the
// process burns CPU, and checks that the burning function is the hot path.
func TestFromLiveServer(t *testing.T) {
	if testing.Short() {
		t.Skip("collects for a second")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	var stop atomic.Bool
	done := make(chan int)
	go func() { done <- burnUntil(&stop) }()
	defer func() { stop.Store(true); <-done }()

	code, stdout, stderr := runAdvisor(t, "--json", "--from", srv.URL, "--seconds", "1s")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if err := docs.ValidateReport([]byte(stdout)); err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// advisor's own collecting goroutines live in this process too (and in
	// this module, so they count as own code): burnUntil need not be first,
	// but it must be the CPU hot path.
	for _, h := range rep.Hotpaths {
		if h.Class == report.ClassCPU {
			if !strings.HasSuffix(h.Function, ".burnUntil") {
				t.Fatalf("first CPU hot path = %s, want burnUntil; hot paths: %+v", h.Function, rep.Hotpaths)
			}
			return
		}
	}
	t.Fatalf("no CPU hot path; hot paths: %+v", rep.Hotpaths)
}
