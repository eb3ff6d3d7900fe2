package profile

import "strings"

// SummarizeOutput reduces a go command's or test binary's output to its
// first meaningful line(s), for the one-line messages of the packages under
// profile (abtest) that run the go command too.
func SummarizeOutput(out string) string { return summarizeOutput(out) }

// TestFailure picks the informative lines of a failed test binary's output
// ("--- FAIL", panics, file:line messages) and summarizes them in one line.
func TestFailure(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "--- FAIL") || strings.HasPrefix(t, "panic:") || strings.Contains(t, "_test.go:") {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		return summarizeOutput(out)
	}
	return summarizeOutput(strings.Join(keep, "\n"))
}
