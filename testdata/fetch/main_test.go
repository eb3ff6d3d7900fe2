package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "page %s\n", r.URL.Path)
	}))
	defer srv.Close()
	n, err := fetch(srv.Client(), srv.URL+"/page/7")
	if err != nil {
		t.Fatal(err)
	}
	if want := len("page /page/7\n"); n != want {
		t.Errorf("fetch returned %d bytes, want %d", n, want)
	}
}
