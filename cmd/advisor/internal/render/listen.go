package render

import (
	"fmt"
	"net"
)

// ListenPprof reserves the pprof UI's address (--http) before the run, so that a busy port
// fails at once instead of after a run of minutes; the listener is then
// handed to the pprof UI. An address without a host means localhost, as for
// pprof's own -http (which then also refuses remote clients). It returns
// nil when addr is "".
func ListenPprof(addr string) (net.Listener, error) {
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
