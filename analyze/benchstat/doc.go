// Package benchstat compares benchmark results the way
// golang.org/x/perf/cmd/benchstat does, and decides on them: the regression
// gate of `advisor ci` and `advisor compare` (Gate, Confirm), the paired
// signed-rank test of interleaved rounds, and the statistics behind a
// verified rewrite (CompareRuns, Win). It fills the advisor-ci/v1 types of
// analyze/report; it reads only the bytes it is handed and never runs the go
// command, so every decision can be tested on synthetic samples.
package benchstat
