// Package hoistpure defines an Analyzer that reports calls of pure,
// non-trivial standard-library functions whose arguments are all
// loop-invariant, inside a loop.
//
// # Analyzer hoistpure
//
// hoistpure: report loop-invariant calls of pure functions inside a loop
//
// A call such as os.Getenv("HOME"), strings.ToLower(name) or
// strings.Split(list, ",") returns the same result on every iteration when
// its arguments do not change in the loop, yet it is recomputed each time:
// an environment lookup under a lock, a string allocation, a slice
// allocation, a parse. Compute it once before the loop.
//
// Only functions on an allowlist of standard-library functions known to be
// pure (their result depends only on their arguments, or on process state
// such as the environment that loops rarely change) and costly enough to
// matter (they allocate, parse or take a lock) are considered, matched by
// their full types.Func name, so user functions of the same name never
// match.
//
// Bad:
//
//	for _, f := range files {
//		if strings.HasPrefix(f, os.Getenv("HOME")) { ... }
//	}
//
// Good:
//
//	home := os.Getenv("HOME")
//	for _, f := range files {
//		if strings.HasPrefix(f, home) { ... }
//	}
//
// Silent when: an argument may change in the loop (assigned, a range
// variable, address taken, reached through memory the loop may write); the
// loop runs a small constant number of times (fewer than 10); the loop
// repeats on purpose (a benchmark loop over b.N, b.Loop() or pb.Next(), or a
// counted loop whose body never uses its index); the call is on
// a path that leaves the loop (return, break, panic) or under a comparison
// of a map range key with a constant (it runs for one key only); the loop calls
// os.Setenv, os.Unsetenv or os.Clearenv (for environment reads) or os.Chdir
// (for filepath.Abs); the call is an argument of a larger invariant call
// (that one is reported instead); the call is in a function literal.
package hoistpure
