// Package readallstream defines an Analyzer that reports whole inputs read
// into memory only to be split into lines and iterated once.
//
// # Analyzer readallstream
//
// readallstream: report io.ReadAll/os.ReadFile results that are only split into lines
//
// Reading a whole file or stream with io.ReadAll or os.ReadFile, converting
// it to a string, and splitting it on newlines holds the entire input in
// memory (several times over: the bytes, the string copy and the slice of
// lines) before the first line is processed. When the lines are only
// iterated once, a bufio.Scanner reads them one at a time in constant
// memory and lets processing overlap with I/O.
//
// Bad:
//
//	data, err := os.ReadFile(path)
//	if err != nil {
//		return err
//	}
//	for _, line := range strings.Split(string(data), "\n") {
//		handle(line)
//	}
//
// Good:
//
//	f, err := os.Open(path)
//	if err != nil {
//		return err
//	}
//	defer f.Close()
//	sc := bufio.NewScanner(f)
//	for sc.Scan() {
//		handle(sc.Text())
//	}
//	if err := sc.Err(); err != nil {
//		return err
//	}
//
// bufio.Scanner rejects lines longer than 64 KiB by default (raise the limit
// with Scanner.Buffer), drops a trailing "\r" and yields no final empty
// line, so check those edge cases when switching. No fix is suggested.
//
// The data may pass through string(...), []byte(...) and the
// strings/bytes TrimSpace, TrimRight, TrimLeft, Trim and TrimSuffix functions
// before reaching strings.Split, strings.SplitAfter, bytes.Split,
// bytes.SplitAfter (on "\n" or "\r\n"), strings.Lines or bytes.Lines; the
// lines must be ranged over exactly once, directly or through one variable.
//
// Silent when: the data is used for anything else (hashing, decoding,
// writing, a second split), the separator is not a newline, or the lines
// are indexed, counted or kept rather than iterated.
package readallstream
