// Package hoistcompile defines an Analyzer that reports expensive
// constructors (regexp compilation, template parsing, time zone loading,
// replacers, JSON encoders) called with loop-invariant arguments inside a
// loop.
//
// # Analyzer hoistcompile
//
// hoistcompile: report expensive constructors with loop-invariant arguments inside a loop
//
// Compiling a regular expression, parsing a template, loading a time zone
// from the zoneinfo database or building a strings.Replacer costs
// microseconds to milliseconds and allocates; the result is immutable and safe
// for concurrent use. Doing it on every iteration of a loop with the same
// arguments repeats that work for nothing. Build the value once before the
// loop (or at package level) and reuse it.
//
// Flagged calls: regexp.Compile, MustCompile, CompilePOSIX and
// MustCompilePOSIX; time.LoadLocation; strings.NewReplacer;
// json.NewEncoder; text/template and html/template ParseFiles, ParseGlob,
// and New(...).Parse(...) chains; each when every argument (and the
// receiver chain) is loop-invariant. Also regexp.MatchString, Match and
// MatchReader with a constant pattern, which compile it on every call
// (staticcheck's SA6000): compile it once with regexp.MustCompile and call
// the method of the same name.
//
// Bad:
//
//	for _, line := range lines {
//		re := regexp.MustCompile(`^\d+$`)
//		if re.MatchString(line) { ... }
//	}
//
// Good:
//
//	re := regexp.MustCompile(`^\d+$`)
//	for _, line := range lines {
//		if re.MatchString(line) { ... }
//	}
//
// A suggested fix moves `name := regexp.MustCompile(const)` (or
// MustCompilePOSIX, or strings.NewReplacer of constants) in front of the
// loop when the statement sits directly in the loop body, the constant
// pattern compiles, the name is free at the loop and the variable is never
// reassigned or has its address taken.
//
// Silent when: an argument changes between iterations (assigned in the loop,
// a range variable, reached through memory the loop may write); the loop
// runs a small constant number of times (fewer than 10); the loop repeats on
// purpose (a benchmark loop over b.N, b.Loop() or pb.Next(), or a counted
// loop whose body never uses its index); the call sits on a
// path that leaves the loop (return, break, panic), or under a comparison of
// a map range key with a constant, so it runs at most once
// per loop; the result fills a lazily initialized variable inside an
// `if v == nil`-style guard; the call is in a function literal (its own
// function) rather than in the loop itself.
package hoistcompile
