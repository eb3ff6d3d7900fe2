//go:build !race

package benchstat

// fewTrials: see race_test.go.
const fewTrials = false
