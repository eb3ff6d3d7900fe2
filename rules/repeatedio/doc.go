// Package repeatedio defines an Analyzer that reports the same read from
// disk, the network or a database repeated on every iteration of a loop with
// a loop-invariant key.
//
// # Analyzer repeatedio
//
// repeatedio: report disk, network or database reads repeated in a loop with a loop-invariant key
//
// Reading the same file (os.ReadFile, os.Open, os.Stat, os.ReadDir), fetching
// the same URL (http.Get, http.Head, (*http.Client).Get), running the same
// SQL query with the same arguments ((*sql.DB).Query, QueryRow and their
// Context forms, on a DB, Tx, Conn or Stmt) or resolving the same host name
// (net.LookupHost and friends) on every iteration waits for the same answer
// again and again: a syscall, a round trip, a query plan. Read it once
// before the loop, or memoize by key when the loop is spread over calls.
//
// Bad:
//
//	for _, user := range users {
//		cfg, err := os.ReadFile("config.json")
//		...
//	}
//
// Good:
//
//	cfg, err := os.ReadFile("config.json")
//	for _, user := range users {
//		...
//	}
//
// Only reads inside a loop are reported. Reads in a frequently called
// function (an HTTP handler, say) are not: telling how often a function runs
// needs the profile, which the advisor joins with these findings.
//
// Silent when: the key changes between iterations; the loop is a retry or
// polling loop (it sleeps, waits on a timer, ticker, channel or select, or it
// is a condition-only, infinite or counted loop that can leave early, e.g.
// by breaking on success); the read is on a path that leaves the loop or
// under a comparison of a map range key with a constant; the
// loop may change what is read: for files, it calls an os, io/ioutil or
// os/exec function that writes, or a method on an *os.File other than a
// read; for HTTP, it sends a non-GET request; for SQL, it executes a
// statement (Exec), begins or commits a transaction; or it passes the key to
// another function (which might write it); the loop runs a small constant
// number of times (fewer than 10); the loop repeats on purpose (a benchmark
// loop, or a counted loop whose body never uses its index); the file is a
// test (_test.go), where I/O is repeated on purpose to exercise pools,
// retries and caches.
package repeatedio
