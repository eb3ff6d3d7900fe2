//go:build race

package analyze

// attrRace: race instrumentation multiplies the cost of synchronization and
// system calls, which changes what a workload is bound by; demo classes are
// only asserted in normal builds.
const attrRace = true
