package profile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// URLOptions configures FromURL.
type URLOptions struct {
	// URL is the server: "host:port", "http://host:port", or the
	// net/http/pprof index ("http://host:port/debug/pprof/").
	URL string
	// Seconds is the collection window, rounded up to whole seconds as
	// net/http/pprof takes them; 0 means 10s.
	Seconds time.Duration
	// OutDir receives cpu.pprof and trace.out; it must exist.
	OutDir string
	// TraceLimit is as in Options: the download stops at this size.
	TraceLimit int64
	// Client is the HTTP client; nil means one whose timeout is the
	// window plus a minute.
	Client *http.Client
}

// FromURL collects a CPU profile and an execution trace over the same
// window from a live server's net/http/pprof handlers
// (/debug/pprof/profile and /debug/pprof/trace, fetched concurrently, so
// the trace also carries CPU samples). An unreachable server, a missing
// endpoint or a response that is not a profile is a *UserError; if only
// one of the two fails, the other is kept with a warning.
func FromURL(ctx context.Context, o URLOptions) (*Result, error) {
	base, err := pprofBase(o.URL)
	if err != nil {
		return nil, err
	}
	if o.OutDir == "" {
		return nil, errors.New("profile: URLOptions.OutDir is required")
	}
	secs := int64(10)
	if o.Seconds > 0 {
		secs = int64(math.Ceil(o.Seconds.Seconds()))
	}
	limit := o.TraceLimit
	if limit == 0 {
		limit = DefaultTraceLimit
	}
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: time.Duration(secs)*time.Second + time.Minute}
	}
	res := &Result{StopReason: "seconds", Wall: time.Duration(secs) * time.Second}
	cpuPath := filepath.Join(o.OutDir, CPUFile)
	tracePath := filepath.Join(o.OutDir, TraceFile)
	var cpuErr, traceErr error
	var traceTruncated bool
	var g errgroup.Group // not WithContext: one endpoint failing must not cancel the other
	g.Go(func() error {
		_, cpuErr = fetch(ctx, client, base+"/profile?seconds="+strconv.FormatInt(secs, 10), cpuPath, -1, kindPprof)
		return nil
	})
	g.Go(func() error {
		traceTruncated, traceErr = fetch(ctx, client, base+"/trace?seconds="+strconv.FormatInt(secs, 10), tracePath, limit, kindTrace)
		return nil
	})
	g.Wait()
	if cpuErr != nil && traceErr != nil {
		return nil, cpuErr
	}
	if cpuErr != nil {
		res.Partial = true
		res.Warnings = append(res.Warnings, "no CPU profile: "+cpuErr.Error())
	} else {
		res.CPUProfile = cpuPath
	}
	if traceErr != nil {
		res.Partial = true
		res.Warnings = append(res.Warnings, "no trace: "+traceErr.Error())
	} else {
		res.Trace = tracePath
	}
	if traceTruncated {
		res.Partial = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("trace download stopped at its size limit (%s); only its complete generations can be read", formatBytes(limit)))
	}
	return res, nil
}

// pprofBase normalizes what the user typed to the net/http/pprof index URL
// without a trailing slash.
func pprofBase(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", userError("no URL given", "", nil)
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", userError(fmt.Sprintf("invalid URL %q: %v", raw, errors.Unwrap(err)), "", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", userError(fmt.Sprintf("invalid URL %q: scheme must be http or https", raw), "", nil)
	}
	if u.Host == "" {
		return "", userError(fmt.Sprintf("invalid URL %q: no host", raw), "", nil)
	}
	p := strings.TrimRight(u.Path, "/")
	for _, suffix := range []string{"/profile", "/trace"} {
		if strings.HasSuffix(p, "/debug/pprof"+suffix) {
			p = strings.TrimSuffix(p, suffix)
		}
	}
	if !strings.HasSuffix(p, "/debug/pprof") {
		p += "/debug/pprof"
	}
	u.Path, u.RawPath, u.RawQuery, u.Fragment = p, "", "", ""
	return u.String(), nil
}

// fetch downloads u into path, up to limit bytes if limit > 0 (reporting
// whether it stopped there), and checks the content looks like want.
func fetch(ctx context.Context, client *http.Client, u, path string, limit int64, want fileKind) (truncated bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, fmt.Errorf("building request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return false, userError(fmt.Sprintf("cannot reach %s: %v", u, err), "", err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(br, 512))
		return false, userError(fmt.Sprintf("%s: %s: %s", u, resp.Status, firstLine(string(body))), string(body), nil)
	}
	head, _ := br.Peek(64)
	if got := sniff(head); got != want {
		return false, userError(fmt.Sprintf("%s did not return %s (is it a net/http/pprof endpoint?)", u, want), "", nil)
	}
	f, err := os.Create(path)
	if err != nil {
		return false, fmt.Errorf("creating %s: %w", path, err)
	}
	var r io.Reader = br
	if limit > 0 {
		r = io.LimitReader(br, limit)
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("downloading %s: %w", u, err)
	}
	if limit > 0 && n == limit {
		// More may follow; a one-byte probe tells.
		if _, err := br.ReadByte(); err == nil {
			truncated = true
		}
	}
	return truncated, nil
}
