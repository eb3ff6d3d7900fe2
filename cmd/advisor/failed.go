package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	advprofile "github.com/advisor-dev/advisor/profile"
)

// failRun reports a run that produced no report: the one-line error on
// stderr (with the go command's output, as collectError prints it) and,
// under --format json, still one advisor/v1 document whose errors say why,
// so that a script reading the JSON never gets an empty stdout. res is what
// was collected, nil if nothing ran.
func failRun(e *env, f *profileFlags, pkg string, args []string, res *advprofile.Result, err error) int {
	if res != nil && res.Crashed {
		// The profiler's complaint ("trace holds no events", about a
		// temporary file already removed) is a symptom; the cause is the
		// crash.
		why := err.Error()
		if len(res.Warnings) > 0 {
			why = strings.Join(res.Warnings, "; ")
		}
		err = fmt.Errorf("%s crashed before anything could be profiled (%s)", pkg, why)
	}
	code := collectError(e, err)
	if f.format != "json" {
		return code
	}
	msg := err.Error()
	if ue := (*advprofile.UserError)(nil); errors.As(err, &ue) {
		msg = ue.Msg
	}
	rep := report.NewReport()
	if pkg != "" {
		if args == nil {
			args = []string{}
		}
		rep.Target = &report.Target{Package: pkg, Args: args}
	}
	if res != nil {
		if rep.Target != nil {
			rep.Target.ExitCode = res.ExitCode
		}
		rep.Errors = append(rep.Errors, res.Warnings...)
	}
	rep.Errors = append(rep.Errors, msg)
	w := e.stdout
	if f.output != "" {
		out, err := os.Create(f.output)
		if err != nil {
			return code // the error is said; -o is unwritable too
		}
		defer out.Close()
		w = out
	}
	// The error is already on stderr; a failed write of the document (a
	// closed pipe) has nothing more to say.
	_ = render.JSON(w, rep)
	return code
}

// listenHTTP reserves --http's address before the run, so that a busy port
// fails at once instead of after a run of minutes; the listener is then
// handed to the pprof UI. An address without a host means localhost, as for
// pprof's own -http (which then also refuses remote clients). It returns
// nil when addr is "".
func listenHTTP(addr string) (net.Listener, error) {
	if addr == "" {
		return nil, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("bad address %q (want host:port or :port): %w", addr, err)
	}
	if host == "" {
		host = "localhost"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("cannot serve the pprof UI: %w", err)
	}
	return ln, nil
}
