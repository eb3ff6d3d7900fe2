// Package sequentialio defines an Analyzer that reports blocking I/O calls
// made one after another in a loop whose iterations are independent.
//
// # Analyzer sequentialio
//
// sequentialio: report blocking I/O in a loop of independent iterations
//
// A loop that fetches URLs, dials hosts, runs database queries or reads
// files one at a time spends the sum of all the waits; when no iteration
// needs another's result, the waits can overlap and the loop takes about as
// long as its slowest call. Issue the calls concurrently with a bound on how
// many run at once (golang.org/x/sync/errgroup with SetLimit, or a semaphore
// channel), writing each result to its own slot. Whether the wait matters is
// for the profile to say: the advisor joins this finding with the time the
// program actually spends blocked there.
//
// The calls recognized are http.Get, Head, Post and PostForm and the same
// methods of *http.Client plus Do; net.Dial and its variants and
// (*net.Dialer).Dial and DialContext; the Query and QueryRow methods (and
// their Context forms) of *sql.DB (not Exec: statements that write, such as
// a schema or a migration, usually depend on their order); os.ReadFile, os.Open and os.ReadDir;
// and calls of the package's own functions that make one of these calls,
// directly or through each other, and write no package variables, use no
// channels and start no goroutines.
//
// Bad:
//
//	for i, u := range urls {
//		resp, err := http.Get(u)
//		if err != nil {
//			return err
//		}
//		sizes[i] = resp.ContentLength
//		resp.Body.Close()
//	}
//
// Good:
//
//	var g errgroup.Group
//	g.SetLimit(8)
//	for i, u := range urls {
//		g.Go(func() error {
//			resp, err := http.Get(u)
//			if err != nil {
//				return err
//			}
//			sizes[i] = resp.ContentLength
//			return resp.Body.Close()
//		})
//	}
//	if err := g.Wait(); err != nil {
//		return err
//	}
//
// The loop counts as independent when it ranges over a slice, array, map,
// string or integer (or counts with a for clause), the call's arguments
// depend on the iteration, and the body carries no state to the next
// iteration other than appending to a slice, writing to an element keyed by
// the iteration, adding into a number, or recording an error.
//
// Silent when: the loop already starts goroutines; it runs at most once; it
// has no range or bound (for {} and for cond {}: pagination, reading a
// stream); it stops on success (break or return outside an err != nil
// check: retries, trying addresses in turn); the call does not depend on
// the iteration (retries); an iteration uses what an earlier one assigned
// (next page URL, previous response); the body writes to a writer, hash or
// other object shared across iterations, whose order would change; the
// code is in a _test.go file.
package sequentialio
