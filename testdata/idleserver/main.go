// Command idleserver is a server that nobody calls: an HTTP server with
// net/http/pprof, a pool of workers waiting on an empty job queue, and a
// ticker refreshing a statistic. It prints "listening on http://ADDR" as its
// first line and serves until -for has passed (or it is killed).
//
// advisor demo for --from ADDR --seconds N: every goroutine is waiting for
// work that never comes (the accept loop, the workers, the ticker), which is
// idleness, not I/O to speed up. A correct tool reports class idle and
// advice none.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // the endpoints advisor --from reads
	"sync/atomic"
	"time"
)

// jobs is the work queue; nothing ever sends on it.
var jobs = make(chan func())

// ticks counts ticker wake-ups, a stand-in for a periodic stats refresh.
var ticks atomic.Int64

func worker() {
	for job := range jobs {
		job()
	}
}

func refresh(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		ticks.Add(1)
	}
}

func main() {
	life := flag.Duration("for", 2*time.Minute, "how long to serve before exiting")
	flag.Parse()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	for range 4 {
		go worker()
	}
	go refresh(100 * time.Millisecond)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ticks %d\n", ticks.Load())
	})
	go func() { log.Fatal(http.Serve(ln, nil)) }()
	time.Sleep(*life)
}
