package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"
)

// expect is a demo's EXPECT file: what advisor must conclude about it.
type expect struct {
	mode  string   // run (the default) or from (a live server)
	args  []string // advisor's own flags (mode from) or the demo's arguments
	class string
	top   string   // the top hot path's function ("" = none expected)
	first string   // the first recommendation's kind ("" = not checked)
	not   []string // kinds never recommended
}

// readExpect parses testdata/<dir>/EXPECT ("key: value" lines; "why" and
// "fixed-speedup" are prose for the reader).
func readExpect(t *testing.T, dir string) expect {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../testdata", dir, "EXPECT"))
	if err != nil {
		t.Fatal(err)
	}
	e := expect{mode: "run"}
	for line := range strings.Lines(string(data)) {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "mode":
			e.mode = v
		case "args":
			e.args = strings.Fields(v)
		case "class":
			e.class = v
		case "top":
			e.top = v
		case "first":
			e.first = v
		case "not":
			if v != "" {
				e.not = strings.Split(v, ",")
			}
		}
	}
	return e
}

func TestReadExpect(t *testing.T) {
	e := readExpect(t, "idleserver")
	if e.mode != "from" || strings.Join(e.args, " ") != "--seconds 2" || e.class != "idle" || e.first != "none" || e.top != "" || len(e.not) != 2 {
		t.Fatalf("idleserver EXPECT read as %+v", e)
	}
}

// fromDemos are the demos profiled live with --from (EXPECT "mode: from"):
// servers with net/http/pprof, attributed per request.
var fromDemos = []struct {
	dir   string
	extra func(t *testing.T, rep *report.Report)
}{
	{"idleserver", func(t *testing.T, rep *report.Report) {
		if len(rep.Hotpaths) != 0 || rep.Summary.Requests != 0 || len(rep.Handlers) != 0 {
			t.Errorf("an idle server: hot paths %+v, %d requests, handlers %+v: want none", rep.Hotpaths, rep.Summary.Requests, rep.Handlers)
		}
	}},
	{"busyserver", func(t *testing.T, rep *report.Report) {
		// Two connections back to back for 2 s: dozens of requests even
		// with the machine loaded; the handler is named.
		if rep.Summary.Requests < 4 || len(rep.Handlers) == 0 || rep.Handlers[0].Function != "main.handle" {
			t.Errorf("%d requests, handlers %+v: want several, main.handle first", rep.Summary.Requests, rep.Handlers)
		}
	}},
}

// TestDemosFrom starts each server demo, reads its "listening on" line,
// profiles it with advisor --from for the window EXPECT gives, then kills
// it, and checks the report against EXPECT.
func TestDemosFrom(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and profiles live servers; skipped with -short")
	}
	for _, d := range fromDemos {
		t.Run(d.dir, func(t *testing.T) {
			e := readExpect(t, d.dir)
			if e.mode != "from" {
				t.Fatalf("EXPECT mode %q, want from", e.mode)
			}
			addr := startServer(t, d.dir)
			rep := profileFrom(t, addr, e.args)
			if rep.Summary == nil || rep.Summary.Accounting != report.AccountingRequests {
				t.Fatalf("summary %+v: want accounting %s", rep.Summary, report.AccountingRequests)
			}
			dc := demoCase{dir: d.dir, class: e.class, firstRec: e.first, notRec: e.not, extra: d.extra}
			if e.top != "" {
				dc.fn, dc.fnClass = e.top, e.class
			}
			checkDemo(t, dc, rep)
		})
	}
}

// startServer builds and starts testdata/<dir>, waits for its first line
// "listening on http://ADDR" and returns ADDR; the server is killed when
// the test ends.
func startServer(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), dir)
	if out, err := exec.Command("go", "build", "-o", bin, "../../testdata/"+dir).CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", dir, err, out)
	}
	cmd := exec.Command(bin)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
	}()
	select {
	case l, ok := <-line:
		addr, found := strings.CutPrefix(l, "listening on ")
		if !ok || !found {
			t.Fatalf("%s: first line %q, want \"listening on ADDR\"; stderr: %s", dir, l, stderr.String())
		}
		return addr
	case <-time.After(time.Minute):
		t.Fatalf("%s printed no line within a minute", dir)
	}
	return ""
}

// profileFrom runs advisor --json --from addr with flags and returns the
// validated report.
func profileFrom(t *testing.T, addr string, flags []string) *report.Report {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	argv := append([]string{"--json", "--from", addr}, flags...)
	if code := run(context.Background(), e, argv); code != exitOK {
		t.Fatalf("advisor %s: exit %d\nstderr:\n%s", strings.Join(argv, " "), code, stderr.String())
	}
	if err := docs.ValidateReport(stdout.Bytes()); err != nil {
		t.Fatalf("report does not validate: %v", err)
	}
	var rep report.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	if testing.Verbose() {
		t.Logf("report: summary %+v handlers %+v hot paths %d, recommendations %v, errors %q", *rep.Summary, rep.Handlers, len(rep.Hotpaths), kindsOf(&rep), rep.Errors)
	}
	return &rep
}

func kindsOf(r *report.Report) string {
	var b strings.Builder
	for i, rec := range r.Recommendations {
		fmt.Fprintf(&b, "%d.%s ", i+1, rec.Kind)
	}
	return b.String()
}
