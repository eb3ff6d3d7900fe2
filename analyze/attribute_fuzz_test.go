package analyze

import (
	"bytes"
	"encoding/json"
	"math"
	"runtime/pprof"
	"runtime/trace"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
)

// attrSeedTrace records a small real trace (with CPU samples) to seed the
// fuzzers, plus a few cuts of it: truncation is the common real damage.
func attrSeedTraces(f *testing.F) (traces [][]byte, cpu []byte) {
	var tb, cb bytes.Buffer
	if err := trace.Start(&tb); err != nil {
		f.Fatal(err)
	}
	if err := pprof.StartCPUProfile(&cb); err != nil {
		trace.Stop()
		f.Fatal(err)
	}
	done := make(chan int)
	go func() { done <- attrFib(22) }()
	attrSleeper(2, time.Millisecond)
	<-done
	pprof.StopCPUProfile()
	trace.Stop()
	td := tb.Bytes()
	return [][]byte{td, td[:len(td)/2], td[:len(td)-7], td[:64]}, cb.Bytes()
}

// attrCheckReport fails on anything that must hold for any report Attribute
// returns: it marshals (no NaN/Inf), fractions are in [0,1].
func attrCheckReport(t *testing.T, r *report.Report) {
	t.Helper()
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("report does not marshal: %v", err)
	}
	bad := func(v float64) bool { return math.IsNaN(v) || v < 0 || v > 1 }
	for k, v := range r.Summary.Breakdown {
		if bad(v) {
			t.Fatalf("summary breakdown %s = %g", k, v)
		}
	}
	for _, hp := range r.Hotpaths {
		if bad(hp.Share) {
			t.Fatalf("hot path %s share %g", hp.Function, hp.Share)
		}
		for k, v := range hp.Breakdown {
			if bad(v) {
				t.Fatalf("hot path %s breakdown %s = %g", hp.Function, k, v)
			}
		}
	}
}

func FuzzParseCPUProfile(f *testing.F) {
	_, cpu := attrSeedTraces(f)
	f.Add(cpu)
	f.Add([]byte{})
	f.Add([]byte("\x1f\x8b\x08\x00garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseCPUProfile(bytes.NewReader(data))
		if err != nil {
			if bytes.ContainsRune([]byte(err.Error()), '\n') {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		r, err := Attribute(AttributeOptions{CPU: p, OwnCode: attrTestOwn})
		if err != nil {
			t.Fatalf("Attribute of a parsed profile: %v", err)
		}
		attrCheckReport(t, r)
	})
}

func FuzzAttributeTrace(f *testing.F) {
	traces, _ := attrSeedTraces(f)
	for _, td := range traces {
		f.Add(td)
	}
	f.Add([]byte("go 1.26 trace\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Attribute(AttributeOptions{Trace: bytes.NewReader(data), OwnCode: attrTestOwn})
		if err != nil {
			if bytes.ContainsRune([]byte(err.Error()), '\n') {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		attrCheckReport(t, r)
		for _, e := range r.Errors {
			if bytes.ContainsRune([]byte(e), '\n') {
				t.Fatalf("multi-line warning %q", e)
			}
		}
	})
}
