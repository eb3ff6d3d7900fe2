// Package slowserver gives the network demos a slow HTTP server on loopback
// that runs in a child process (the demo re-executes itself), so that the
// profiled process is a pure client, as it would be against a real remote
// service.
package slowserver

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"time"
)

// serveFlag is the hidden flag that turns the demo binary into the server.
const serveFlag = "slowserver-delay"

// Handler writes the request's id (or path) after sleeping for delay.
func Handler(delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		if id := r.URL.Query().Get("id"); id != "" {
			fmt.Fprint(w, id)
			return
		}
		fmt.Fprintf(w, "page %s\n", r.URL.Path)
	})
}

// ServeIfChild must be called first in main, before flag.Parse: in the
// child process it serves until the parent exits, and never returns.
func ServeIfChild() {
	if len(os.Args) == 3 && os.Args[1] == "-"+serveFlag {
		d, err := time.ParseDuration(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		serve(d)
	}
}

// Start starts the server process and returns its base URL and a function
// that stops it.
func Start(delay time.Duration) (url string, stop func(), err error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(exe, "-"+serveFlag, delay.String())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	// The child reads stdin only to notice that the parent is gone.
	in, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return "", nil, fmt.Errorf("server did not start: %w", err)
	}
	return strings.TrimSpace(line), func() { in.Close(); cmd.Wait() }, nil
}

// serve runs the server in the child until stdin closes.
func serve(delay time.Duration) {
	srv := httptest.NewServer(Handler(delay))
	fmt.Println(srv.URL)
	bufio.NewReader(os.Stdin).ReadString('\n')
	srv.Close()
	os.Exit(0)
}
