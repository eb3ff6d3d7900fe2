//go:build !race

package ci

// fewTrials: see race_test.go.
const fewTrials = false
