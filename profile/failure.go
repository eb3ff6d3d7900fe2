package profile

import "strings"

// SummarizeOutput reduces a go command's or test binary's output to its
// first meaningful line(s), for the one-line messages of the packages under
// profile (abtest) that run the go command too.
func SummarizeOutput(out string) string { return summarizeOutput(out) }

// TestFailure picks the informative lines of failing tests' or benchmarks'
// output (go test's or a test binary's): the failing tests, panics and the
// test files' lines they name, summarized as SummarizeOutput does; the
// whole output summarized when it has none (a build failure).
func TestFailure(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "--- FAIL") || strings.HasPrefix(t, "panic:") || strings.Contains(t, "_test.go:") {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		return SummarizeOutput(out)
	}
	return SummarizeOutput(strings.Join(keep, "\n"))
}
