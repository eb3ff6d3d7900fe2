// Package stringconcat defines an Analyzer that reports strings built by
// repeated concatenation in a loop.
//
// # Analyzer stringconcat
//
// stringconcat: report strings built by += or fmt.Sprintf concatenation in a loop
//
// Go strings are immutable: s += x allocates a new string and copies all of
// s into it. Doing it once per iteration copies O(n²) bytes in total and
// leaves every intermediate string to the garbage collector. A
// strings.Builder (or a bytes.Buffer) appends in amortized constant time.
//
// Bad:
//
//	var s string
//	for _, w := range words {
//		s += w + " "
//	}
//
// Good:
//
//	var b strings.Builder
//	for _, w := range words {
//		b.WriteString(w)
//		b.WriteString(" ")
//	}
//	s := b.String()
//
// No fix is suggested: the rewrite changes the variable's type and every
// read of it inside the loop, which is not mechanical.
//
// The rule matches s += x, s = s + x (and s = x + s), and
// s = fmt.Sprintf(format, ..., s, ...) where s is a string variable declared
// outside the innermost enclosing loop.
//
// Silent when: the variable is declared inside the loop or is reset to a
// value that does not involve itself on some iteration (its length stays
// bounded), the loop has a small constant trip count (at most 8), the
// concatenation is outside any loop, or the operands are numbers.
package stringconcat
