package a

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

type server struct {
	db  *sql.DB
	cfg string
}

func positives(ctx context.Context, users []string, path, url string, db *sql.DB, c *http.Client, s *server) {
	for _, u := range users {
		cfg, err := os.ReadFile("config.json") // want `os.ReadFile reads the same file on every iteration with a loop-invariant key \(read it once before the loop, or memoize by key\)`
		fmt.Println(u, cfg, err)
	}
	for _, u := range users {
		f, err := os.Open(path) // want `os.Open opens the same file`
		fmt.Println(u, f, err)
		f.Close()
	}
	for _, u := range users {
		if _, err := os.Stat(path); err == nil { // want `os.Stat stats the same file`
			fmt.Println(u)
		}
	}
	for _, u := range users {
		resp, err := http.Get(url) // want `http.Get fetches the same URL`
		fmt.Println(u, resp, err)
	}
	for _, u := range users {
		resp, err := c.Get(url) // want `http.Client.Get fetches the same URL`
		fmt.Println(u, resp, err)
	}
	for _, u := range users {
		row := db.QueryRow("SELECT v FROM settings WHERE k = ?", "tz") // want `sql.DB.QueryRow runs the same query`
		fmt.Println(u, row)
	}
	for _, u := range users {
		rows, err := s.db.QueryContext(ctx, "SELECT 1") // want `sql.DB.QueryContext runs the same query`
		fmt.Println(u, rows, err)
	}
	for _, u := range users {
		addrs, err := net.LookupHost("example.com") // want `net.LookupHost resolves the same name`
		fmt.Println(u, addrs, err)
	}
	for _, u := range users {
		data, _ := os.ReadFile(path) // want `os.ReadFile reads the same file`
		if string(data) == u {
			break // a search over users, not a retry
		}
	}
}

func negatives(ctx context.Context, users []string, path, url string, db *sql.DB, s *server) error {
	_, _ = os.ReadFile(path) // not in a loop
	for _, u := range users {
		_, _ = os.ReadFile(u) // a different file each iteration
	}
	for _, u := range users {
		_ = db.QueryRow("SELECT v FROM users WHERE name = ?", u) // the key varies
	}
	for _, u := range users {
		data, _ := os.ReadFile(s.cfg) // s.cfg is reached through a pointer and the loop has calls
		fmt.Println(u, data)
	}
	for {
		resp, err := http.Get(url) // polling: sleeps between reads
		if err == nil {
			fmt.Println(resp)
		}
		time.Sleep(time.Second)
	}
}

func retries(url, path string, ticker *time.Ticker, done chan struct{}) {
	for attempt := 0; attempt < 5; attempt++ { // bounded retry
		if _, err := http.Get(url); err == nil {
			break
		}
	}
	for {
		if _, err := os.Stat(path); err == nil { // waits until the file exists
			return
		}
		<-ticker.C
	}
	for n := 0; ; n++ {
		if _, err := os.ReadFile(path); err == nil { // retry until success
			break
		}
		fmt.Println("retry", n)
	}
}

func writes(users []string, path, url string, db *sql.DB) {
	for _, u := range users {
		data, _ := os.ReadFile(path) // the loop writes the file
		os.WriteFile(path, append(data, u...), 0o644)
	}
	for _, u := range users {
		f, _ := os.Create(path)
		f.WriteString(u)
		f.Close()
		_, _ = os.Stat(path) // the loop creates the file
	}
	for _, u := range users {
		_, _ = db.Exec("INSERT INTO t VALUES (?)", u)
		_ = db.QueryRow("SELECT count(*) FROM t") // the loop inserts rows
	}
	for _, u := range users {
		http.Post(url, "text/plain", nil)
		resp, _ := http.Get(url) // the loop posts to the server
		fmt.Println(u, resp)
	}
	for _, u := range users {
		save(path, u)
		_, _ = os.ReadFile(path) // save may write path
	}
}

func save(path, s string) {}

func repeat(url string, n int) {
	for i := 0; i < n; i++ {
		_, _ = http.Get(url) // n requests on purpose: the index is unused
	}
}

func once(users []string, path string) ([]byte, error) {
	for _, u := range users {
		if u == "root" {
			return os.ReadFile(path) // runs at most once
		}
	}
	for i := 0; i < 3; i++ {
		_, _ = os.ReadFile(path) // too short to matter
	}
	for _, u := range users {
		go func() {
			data, _ := os.ReadFile(path) // its own function
			fmt.Println(u, data)
		}()
	}
	return nil, nil
}
