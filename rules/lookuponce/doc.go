// Package lookuponce defines an Analyzer that reports a map index read again
// with the same map and key while nothing in between can have changed the
// map.
//
// # Analyzer lookuponce
//
// lookuponce: report the same map lookup repeated with no write in between
//
// Every m[k] hashes the key and probes the table. Reading the same entry twice
// in a row, as in `if _, ok := m[k]; ok { use(m[k]) }` or
// `m[k].a + m[k].b`, does that work twice; on a hot path with large keys
// (strings, structs) it shows. Look the entry up once and keep the value.
//
// Bad:
//
//	if _, ok := counts[name]; ok {
//		total += counts[name]
//	}
//
// Good:
//
//	if n, ok := counts[name]; ok {
//		total += n
//	}
//
// A suggested fix rewrites `if _, ok := m[k]; ok { ... m[k] ... }` to
// `if v, ok := m[k]; ok { ... v ... }` when every later read of the entry in
// that if statement sees the same value and the name v is free there.
//
// The map and key expressions must be the same variables, fields and
// constants (compared by object identity, not by name) and free of calls.
// The first read must run before the second on every path: the second is in
// the same statement, a later statement of the same block, or nested in one;
// reads in different branches do not pair.
//
// Silent when: the keys differ; anything between the two reads may change
// the map, the key or what they name: an assignment to any variable or field
// they use, a store through a pointer, any write, delete or clear on a map of
// the same type, taking the address of their variables, a channel operation,
// or a call of any function not known to be pure; the second read is in a
// loop whose body does any of these; the first read is evaluated only
// conditionally (the right side of || or &&, outside the if body that &&
// guards); read-modify-write forms `m[k]++`, `m[k] += v` and
// `m[k] = m[k] + v`, which have a single read; the read inside
// `m[k] = append(m[k], v)`, which the compiler merges with the assignment into
// one hash of the key, so an earlier `if m[k] == nil` is not repeated work;
// reads inside a failure message or log call (t.Errorf, fmt.Errorf, log,
// slog, panic, or any method named Errorf, Fatal, Logf, Warn, ...), which run
// on error paths; blank reads `_ = m[k]`, which benchmarks use to measure the
// lookup itself.
package lookuponce
