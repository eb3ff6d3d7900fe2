// Package equalfold defines an Analyzer that reports case-insensitive
// comparisons made by lowering (or uppering) both sides.
//
// # Analyzer equalfold
//
// equalfold: report strings.ToLower(a) == strings.ToLower(b) comparisons (use strings.EqualFold)
//
// strings.ToLower and strings.ToUpper return a new string whenever their
// argument has a letter to change: comparing two lowered copies allocates
// up to two strings and walks both inputs twice, only to throw the copies
// away. strings.EqualFold compares in place, without allocating, and stops
// at the first difference.
//
// Bad:
//
//	if strings.ToLower(name) == strings.ToLower(want) { ... }
//
// Good:
//
//	if strings.EqualFold(name, want) { ... }
//
// The rule matches == and != between two calls of strings.ToLower, or two
// of strings.ToUpper (also bytes.Equal of two bytes.ToLower or two
// bytes.ToUpper calls, for bytes.EqualFold). No fix is suggested:
// EqualFold uses Unicode simple case folding, which differs from
// comparing lowered strings for a few non-ASCII letters (final sigma,
// the Kelvin sign), so the change is the author's call.
//
// Silent when: only one side is lowered (a comparison with a lower-case
// constant: strings.ToLower(s) == "yes" is better written EqualFold too,
// but a lowered value is often kept), the two sides use different case
// functions, or the operands are not calls of these functions.
package equalfold
