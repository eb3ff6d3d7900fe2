package render

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/google/pprof/driver"
)

// ServePprof serves pprof's web UI (graph, flame graph, source, top) for
// the profile at profilePath on addr, e.g. ":8080" or "localhost:0": the
// interactive view of the profile the report was made from. It blocks while
// the server runs and returns its error.
func ServePprof(addr, profilePath string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("pprof web UI on %s: %w", addr, err)
	}
	defer ln.Close()
	return servePprof(ln, addr, profilePath)
}

// ServePprofOn is ServePprof on a listener the caller opened, so that it
// can reserve the address before a long run and stop the server by
// closing ln. A listener on a loopback address refuses other clients, as
// pprof's own server does.
func ServePprofOn(ln net.Listener, profilePath string) error {
	return servePprof(ln, ln.Addr().String(), profilePath)
}

// servePprof serves the UI on ln; errors name the address as the user gave it.
func servePprof(ln net.Listener, addr, profilePath string) error {
	// pprof explains failures through the UI, its error only summarizes:
	// keep the explanation for the one-line error.
	log := &headWriter{limit: 4096}
	if err := driver.PProf(pprofUIOptions(ln.Addr().String(), profilePath, serveOn(ln), log)); err != nil {
		if errors.Is(err, net.ErrClosed) {
			return nil // the caller stopped the server
		}
		if why, _, _ := strings.Cut(strings.TrimSpace(log.String()), "\n"); why != "" {
			return fmt.Errorf("pprof web UI on %s: %w (%s)", addr, err, why)
		}
		return fmt.Errorf("pprof web UI on %s: %w", addr, err)
	}
	return nil
}

// serveOn is a driver.Options.HTTPServer serving pprof's handlers on ln
// the way pprof's default server does: under /ui/, and only to local
// clients when ln is on a loopback address.
func serveOn(ln net.Listener) func(*driver.HTTPServerArgs) error {
	return func(args *driver.HTTPServerArgs) error {
		local := false
		if a, ok := ln.Addr().(*net.TCPAddr); ok {
			local = a.IP.IsLoopback()
		}
		ui := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if local {
				host, _, err := net.SplitHostPort(req.RemoteAddr)
				if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
					http.Error(w, "permission denied", http.StatusForbidden)
					return
				}
			}
			h := args.Handlers[req.URL.Path]
			if h == nil {
				http.NotFound(w, req)
				return
			}
			h.ServeHTTP(w, req)
		})
		mux := http.NewServeMux()
		mux.Handle("/ui/", http.StripPrefix("/ui", ui))
		mux.Handle("/", http.RedirectHandler("/ui/", http.StatusTemporaryRedirect))
		return (&http.Server{Handler: mux}).Serve(ln)
	}
}

// pprofUIOptions configures the pprof driver to serve profilePath over HTTP
// on addr without opening a browser and without talking to the terminal:
// pprof's messages go to log. server, when not nil, replaces pprof's own
// HTTP server (tests use it to take the handlers without listening).
func pprofUIOptions(addr, profilePath string, server func(*driver.HTTPServerArgs) error, log io.Writer) *driver.Options {
	return &driver.Options{
		Flagset:    newPprofFlags([]string{"-http=" + addr, "-no_browser", profilePath}),
		UI:         quietUI{log},
		HTTPServer: server,
	}
}

// pprofFlags implements driver.FlagSet over a flag.FlagSet with fixed
// arguments: pprof defines its flags on it and parses ours, never os.Args.
type pprofFlags struct {
	*flag.FlagSet
	args  []string
	extra string
}

func newPprofFlags(args []string) *pprofFlags {
	fs := flag.NewFlagSet("pprof", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &pprofFlags{FlagSet: fs, args: args}
}

// StringList implements driver.FlagSet: a flag that may be repeated.
func (f *pprofFlags) StringList(name, def, usage string) *[]*string {
	l := &stringList{}
	if def != "" {
		l.add(def)
	}
	f.Var(l, name, usage)
	return &l.vals
}

// ExtraUsage implements driver.FlagSet.
func (f *pprofFlags) ExtraUsage() string { return f.extra }

// AddExtraUsage implements driver.FlagSet.
func (f *pprofFlags) AddExtraUsage(eu string) { f.extra += eu }

// Parse implements driver.FlagSet. Our arguments are fixed and valid, so a
// parse error is a programming error; pprof treats nil as "print usage and
// fail", which surfaces it as an error from PProf.
func (f *pprofFlags) Parse(usage func()) []string {
	if err := f.FlagSet.Parse(f.args); err != nil || f.NArg() == 0 {
		usage()
		return nil
	}
	return f.Args()
}

// stringList is a repeatable string flag.
type stringList struct{ vals []*string }

func (l *stringList) add(s string) { l.vals = append(l.vals, &s) }

func (l *stringList) String() string {
	if l == nil || len(l.vals) == 0 {
		return ""
	}
	return *l.vals[len(l.vals)-1]
}

func (l *stringList) Set(s string) error { l.add(s); return nil }

// headWriter keeps the first limit bytes written to it, safely for the
// concurrent writes of pprof's HTTP handlers, so a long-running server does
// not accumulate its messages.
type headWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	limit int
}

func (h *headWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if room := h.limit - h.buf.Len(); room > 0 {
		h.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (h *headWriter) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.buf.String()
}

// quietUI is a non-interactive driver.UI: it never reads commands (pprof is
// in -http mode and does not ask), writes messages to w (which must be safe
// for concurrent use), and never opens a browser.
type quietUI struct{ w io.Writer }

var errNoInput = errors.New("pprof UI: no interactive input")

func (quietUI) ReadLine(string) (string, error)     { return "", errNoInput }
func (u quietUI) Print(args ...any)                 { fmt.Fprintln(u.w, args...) }
func (u quietUI) PrintErr(args ...any)              { fmt.Fprintln(u.w, args...) }
func (quietUI) IsTerminal() bool                    { return false }
func (quietUI) WantBrowser() bool                   { return false }
func (quietUI) SetAutoComplete(func(string) string) {}
