package rewrite

// GoroutineLimit bounds the goroutines the goroutines template runs at once:
// enough to overlap the waits of typical network calls without opening an
// unbounded number of connections.
const GoroutineLimit = 8

// Goroutines rewrites the I/O loop containing line (the innermost loop
// that qualifies) so that its iterations run in goroutines, at most
// GoroutineLimit at once: with errgroup.Group and SetLimit when the module
// requires golang.org/x/sync, else with a semaphore channel and a
// sync.WaitGroup (the user's go.mod is never changed):
//
//	for i := 0; i < n; i++ {               sizes := make([]int, n)
//		size, err := fetch(c, url(i))      errs := make([]error, n)
//		if err != nil {                    var g errgroup.Group
//			log.Fatal(err)                 g.SetLimit(8)
//		}                            →     for i := range n {
//		total += size                          g.Go(func() error { size, err := fetch(c, url(i)); sizes[i] = size; errs[i] = err; return nil })
//	}                                      }
//	                                       _ = g.Wait()
//	                                       for i := range n { size := sizes[i]; err := errs[i]; if err != nil {...}; total += size }
//
// The body becomes the goroutine's function (continue becomes return).
// The statements from the first one with an effect whose order matters
// (printing, an error exit, a reduction, an append) run afterwards in the
// original order, reading what the goroutines kept by index; so the first
// error in iteration order is the one handled. The one difference: after a
// failure, later iterations have already run. A loop loopdep finds
// dependent is declined with its reason.
func Goroutines(p *Package, file string, line int) (*Rewrite, error) {
	return p.apply(file, line, perItem, false)
}
