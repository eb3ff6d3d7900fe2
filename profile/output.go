package profile

// SummarizeOutput reduces a go command's output to its first meaningful
// line(s) for a one-line message (see UserError): "# pkg" headers and blank
// lines are dropped, and the remainder is counted. It is exported for
// profile/abtest, whose messages must read like the rest of profile's.
func SummarizeOutput(out string) string { return summarizeOutput(out) }
