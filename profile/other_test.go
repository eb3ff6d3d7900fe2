package profile

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBench(t *testing.T) {
	ctx := context.Background()
	var stdout bytes.Buffer
	out := t.TempDir()
	res, err := Bench(ctx, BenchOptions{Dir: ".", Package: "./testdata/lib", Bench: "Sum", Benchtime: "200ms", OutDir: out, Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode == nil || *res.ExitCode != 0 || res.Partial {
		t.Fatalf("result = %+v, want a clean run", res)
	}
	if !strings.Contains(stdout.String(), "BenchmarkSum") || !strings.Contains(stdout.String(), "allocs/op") {
		t.Errorf("stdout = %q, want benchmark lines with -benchmem columns", stdout.String())
	}
	if n := checkCPU(t, res.CPUProfile); n == 0 {
		t.Error("CPU profile has no samples")
	}
	if _, samples, err := readTrace(t, res.Trace); err != nil || samples == 0 {
		t.Errorf("trace: %d CPU samples, err %v", samples, err)
	}
	if res.HookPrefix != "github.com/advisor-dev/advisor/profile/testdata/lib.advisorHook" || res.HookFile != "0000_advisor_hook_test.go" {
		t.Errorf("HookPrefix %q HookFile %q", res.HookPrefix, res.HookFile)
	}

	t.Run("no match", func(t *testing.T) {
		_, err := Bench(ctx, BenchOptions{Dir: ".", Package: "./testdata/lib", Bench: "Nothing", OutDir: t.TempDir()})
		wantUserError(t, err, `no benchmark in ./testdata/lib matches -bench "Nothing"`)
	})
	t.Run("no tests", func(t *testing.T) {
		_, err := Bench(ctx, BenchOptions{Dir: ".", Package: "./testdata/ret", OutDir: t.TempDir()})
		wantUserError(t, err, "./testdata/ret has no test files")
	})
}

func wantUserError(t *testing.T, err error, want string) {
	t.Helper()
	var ue *UserError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v (%T) is not a *UserError", err, err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, want) {
		t.Errorf("error = %q, want one line containing %q", msg, want)
	}
}

func TestFromURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var stop atomic.Bool
	done := make(chan struct{})
	go func() { // something for the profiler to see
		defer close(done)
		x := 0
		for !stop.Load() {
			for i := range 10000 {
				x += i * i
			}
		}
		_ = x
	}()
	defer func() { stop.Store(true); <-done }()

	for _, base := range []string{srv.URL, strings.TrimPrefix(srv.URL, "http://") + "/debug/pprof/"} {
		t.Run(base, func(t *testing.T) {
			res, err := FromURL(context.Background(), URLOptions{URL: base, Seconds: time.Second, OutDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if res.Partial || res.CPUProfile == "" || res.Trace == "" {
				t.Fatalf("result = %+v", res)
			}
			if n := checkCPU(t, res.CPUProfile); n == 0 {
				t.Error("CPU profile has no samples")
			}
			if _, _, err := readTrace(t, res.Trace); err != nil {
				t.Errorf("trace: %v", err)
			}
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		_, err = FromURL(context.Background(), URLOptions{URL: addr, Seconds: time.Second, OutDir: t.TempDir()})
		wantUserError(t, err, "cannot reach http://"+addr+"/debug/pprof/profile?seconds=1")
	})
	t.Run("not pprof", func(t *testing.T) {
		other := httptest.NewServer(http.NotFoundHandler())
		defer other.Close()
		_, err := FromURL(context.Background(), URLOptions{URL: other.URL, Seconds: time.Second, OutDir: t.TempDir()})
		wantUserError(t, err, "404 Not Found")
	})
}

func TestPprofBase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"localhost:6060", "http://localhost:6060/debug/pprof"},
		{"http://h:1/", "http://h:1/debug/pprof"},
		{"https://h/debug/pprof/", "https://h/debug/pprof"},
		{"http://h/debug/pprof/profile?seconds=30", "http://h/debug/pprof"},
		{"http://h/admin/debug/pprof/trace", "http://h/admin/debug/pprof"},
	} {
		got, err := pprofBase(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("pprofBase(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "ftp://h", "http://", "http://h:port:x/%zz"} {
		if got, err := pprofBase(bad); err == nil {
			t.Errorf("pprofBase(%q) = %q, want an error", bad, got)
		}
	}
}

func FuzzPprofBase(f *testing.F) {
	for _, s := range []string{"localhost:6060", "http://h/debug/pprof/", "https://[::1]:8/x", "%", "http://h/debug/pprof/profile"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := pprofBase(s)
		if err != nil {
			var ue *UserError
			if !errors.As(err, &ue) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q is not a one-line *UserError", err)
			}
			return
		}
		if !strings.HasSuffix(got, "/debug/pprof") || !(strings.HasPrefix(got, "http://") || strings.HasPrefix(got, "https://")) {
			t.Fatalf("pprofBase(%q) = %q", s, got)
		}
		if again, err := pprofBase(got); err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, got, again, err)
		}
	})
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	// Real files from a run of a test program.
	dir := t.TempDir()
	res, err := Run(ctx, Options{Dir: ".", Package: "./testdata/exit3", OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Import(res.CPUProfile, res.Trace)
	if err != nil {
		t.Fatal(err)
	}
	if got.CPUProfile != res.CPUProfile || got.Trace != res.Trace {
		t.Errorf("Import = %+v", got)
	}
	if _, err := Import("", res.Trace); err != nil {
		t.Errorf("trace only: %v", err)
	}
	// go tool pprof reads uncompressed protobuf too; the runtime's encoder
	// starts it with time_nanos, not sample_type.
	zf, err := os.Open(res.CPUProfile)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(zf)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	zf.Close()
	if err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain.pprof")
	os.WriteFile(plain, raw, 0o666)
	if _, err := Import(plain, ""); err != nil {
		t.Errorf("uncompressed profile: %v", err)
	}
	empty := filepath.Join(dir, "empty")
	text := filepath.Join(dir, "text")
	os.WriteFile(empty, nil, 0o666)
	os.WriteFile(text, []byte("hello\n"), 0o666)
	for _, tc := range []struct{ cpu, trace, want string }{
		{"", "", "nothing to import"},
		{filepath.Join(dir, "nope"), "", "no such file " + filepath.Join(dir, "nope")},
		{dir, "", "is a directory"},
		{empty, "", "is empty"},
		{text, "", text + " is not a pprof profile"},
		{res.Trace, "", " is an execution trace, not a pprof profile"},
		{"", res.CPUProfile, " is a pprof profile, not an execution trace"},
	} {
		_, err := Import(tc.cpu, tc.trace)
		wantUserError(t, err, tc.want)
	}
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte("go 1.26 trace\x00\x00\x00"))
	f.Add([]byte{0x1f, 0x8b, 8})
	f.Add([]byte("heap profile: 1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k := sniff(b)
		if k != kindUnknown && len(b) == 0 {
			t.Fatalf("empty input sniffed as %v", k)
		}
		_ = k.String()
	})
}
