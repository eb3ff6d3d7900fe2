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
// directly or through each other.
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
// depend on the iteration, and the loop dependence analysis
// (rules/internal/loopdep) finds its iterations independent, or
// independent up to effects that concurrent code keeps by collecting
// results per index: reductions (adding into a number, a maximum),
// appending to a slice, printing to standard output or error, writing
// distinct keys of a map, recording an error or stopping at the first one.
// Calls of the package's own functions are followed for what they do.
//
// Silent when: the loop already starts goroutines (itself or in a callee);
// it runs at most once; it has no range or bound (for {} and for cond {}:
// pagination, reading a stream); it stops on success (break or return
// outside an err != nil check: retries, trying addresses in turn); the call
// does not depend on the iteration (retries); an iteration uses what an
// earlier one assigned (next page URL, previous response); the body or a
// callee writes package variables, a writer, hash, channel or other object
// shared across iterations, or uses a shared stateful iterator (a Scanner,
// a *rand.Rand, a Decoder); a callee ends the program (log.Fatal, os.Exit,
// panic), or the body does other than under an err != nil test, since
// concurrently a different failure would win after other iterations'
// output (log.Fatal(err) under if err != nil in the body is fine: it moves
// after the concurrent part); the code is in a _test.go file.
package sequentialio
