package critpath

import (
	"path/filepath"
	"testing"

	"github.com/advisor-dev/advisor/analyze/internal/tracetest"
)

// recorded caches the traces of testdata programs for the test binary.
var recorded tracetest.Cache

// recordTrace builds testdata/<name> with testdata/hook.go.txt added by a
// build overlay, runs it, and returns the trace it wrote. env is added to
// the program's environment.
func recordTrace(tb testing.TB, name string, env ...string) []byte {
	tb.Helper()
	return recorded.Record(tb, filepath.Join("testdata", name), filepath.Join("testdata", "hook.go.txt"), env...).Trace
}
