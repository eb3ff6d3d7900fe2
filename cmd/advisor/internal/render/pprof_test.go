package render

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/driver"
	"github.com/google/pprof/profile"
)

// writeTestCPUProfile writes a small symbolized CPU profile of a fib-like
// program and returns its path.
func writeTestCPUProfile(t *testing.T) string {
	t.Helper()
	m := &profile.Mapping{ID: 1, Start: 0x1000, Limit: 0x9000, File: "/tmp/fib", HasFunctions: true, HasFilenames: true, HasLineNumbers: true}
	fib := &profile.Function{ID: 1, Name: "main.fib", SystemName: "main.fib", Filename: "/src/fib/main.go"}
	mainFn := &profile.Function{ID: 2, Name: "main.main", SystemName: "main.main", Filename: "/src/fib/main.go"}
	l1 := &profile.Location{ID: 1, Mapping: m, Address: 0x1100, Line: []profile.Line{{Function: fib, Line: 14}}}
	l2 := &profile.Location{ID: 2, Mapping: m, Address: 0x1200, Line: []profile.Line{{Function: mainFn, Line: 22}}}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
		Sample:     []*profile.Sample{{Location: []*profile.Location{l1, l1, l2}, Value: []int64{90, 900_000_000}}},
		Location:   []*profile.Location{l1, l2},
		Function:   []*profile.Function{fib, mainFn},
		Mapping:    []*profile.Mapping{m},
	}
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPprofUIServesProfile(t *testing.T) {
	path := writeTestCPUProfile(t)
	var got *driver.HTTPServerArgs
	capture := func(args *driver.HTTPServerArgs) error {
		got = args
		return nil // pprof returns when its server does
	}
	log := &headWriter{limit: 1 << 16}
	if err := driver.PProf(pprofUIOptions("127.0.0.1:0", path, capture, log)); err != nil {
		t.Fatalf("pprof: %v\n%s", err, log)
	}
	if got == nil {
		t.Fatal("pprof never started its HTTP server")
	}
	if got.Host != "127.0.0.1" {
		t.Errorf("host %q; want 127.0.0.1", got.Host)
	}
	// Serve the captured handlers on a loopback port, as pprof's own server
	// would, and fetch the UI's pages.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := got.Handlers[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	for path, want := range map[string]string{"/": "main.fib", "/top": "main.fib", "/flamegraph": "main.main"} {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %s, body has %q: %v", path, resp.Status, want, strings.Contains(string(body), want))
		}
	}
}

func TestServePprofUIBadProfile(t *testing.T) {
	// A profile that cannot be read fails before anything listens.
	err := ServePprof("127.0.0.1:0", filepath.Join(t.TempDir(), "missing.pprof"))
	if err == nil || !strings.HasPrefix(err.Error(), "pprof web UI on 127.0.0.1:0: ") {
		t.Fatalf("missing profile: err = %v", err)
	}
	t.Log(err)
}

func TestPprofFlags(t *testing.T) {
	f := newPprofFlags([]string{"-http=:0", "-tag=a", "-tag=b", "p.pprof"})
	http := f.String("http", "", "")
	tags := f.StringList("tag", "", "")
	rest := f.Parse(func() { t.Error("usage called for valid flags") })
	if *http != ":0" || len(*tags) != 2 || *(*tags)[1] != "b" || len(rest) != 1 || rest[0] != "p.pprof" {
		t.Errorf("http %q tags %d rest %v", *http, len(*tags), rest)
	}
	bad := newPprofFlags([]string{"-nope"})
	called := false
	if rest := bad.Parse(func() { called = true }); rest != nil || !called {
		t.Errorf("unknown flag: rest %v, usage called %v", rest, called)
	}
}

func TestHeadWriterKeepsTheHead(t *testing.T) {
	h := &headWriter{limit: 5}
	for _, s := range []string{"abc", "defg", "hij"} {
		if n, err := h.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := h.String(); got != "abcde" {
		t.Errorf("kept %q; want %q", got, "abcde")
	}
}
