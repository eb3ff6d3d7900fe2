//go:build race

package benchstat

// fewTrials: the race detector slows the seeded statistics tests tenfold
// without checking anything more (they share no memory); .ci/run also runs
// them at full size without -race.
const fewTrials = true
