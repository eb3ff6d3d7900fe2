// Command mixed is a demo target for analyze's attribution tests: a main
// package with two hot paths of different classes (recursive CPU work and
// sequential HTTP GETs to a slow loopback server), profiled by a stand-in
// for the advisor hook. Usage: mixed TRACEFILE CPUFILE
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"time"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2) // the cpu hot path
}

func fetchAll(url string, n int) error {
	for i := 0; i < n; i++ {
		resp, err := http.Get(url) // the io hot path
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return nil
}

func main() {
	defer advisorHookStop()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Millisecond)
		fmt.Fprintln(w, "ok")
	}))
	defer srv.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fmt.Println(fib(35))
	}()
	if err := fetchAll(srv.URL, 15); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	wg.Wait()
}
