package profile

// SummarizeOutput reduces a go command's or test binary's output to its
// first meaningful line(s), for the one-line messages of the packages under
// profile (abtest) that run the go command too.
func SummarizeOutput(out string) string { return summarizeOutput(out) }
