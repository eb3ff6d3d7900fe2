package analyze

import "github.com/advisor-dev/advisor/analyze/report"

// Classification rules (docs/report-schema.md, "Accounting"): the class of a hot
// path or a program is the largest of four groups of its breakdown,
//
//	cpu   = cpu + gc + sched   (computing, or ready to compute)
//	io    = network + syscall
//	sync  = lock + channel + select
//	sleep = sleep
//
// gc and sched count toward cpu because they are the cost of computing: GC
// assists are paid by allocating code, and runnable time means the goroutine
// wanted a core.

// attrClassGroups lists the groups in tie-break order: on an exact tie the
// earlier class wins, so a program is never called "sleep" when it computes
// as much as it sleeps.
var attrClassGroups = [...]struct {
	class  string
	states []string
}{
	{report.ClassCPU, []string{report.StateCPU, report.StateGC, report.StateSched}},
	{report.ClassIO, []string{report.StateNetwork, report.StateSyscall}},
	{report.ClassSync, []string{report.StateLock, report.StateChannel, report.StateSelect}},
	{report.ClassSleep, []string{report.StateSleep}},
}

// ClassGroups returns the breakdown summed into the four class groups, keyed
// by ClassCPU, ClassIO, ClassSync and ClassSleep.
func ClassGroups(b report.Breakdown) map[string]float64 {
	g := make(map[string]float64, len(attrClassGroups))
	for _, cg := range attrClassGroups {
		for _, s := range cg.states {
			g[cg.class] += b[s]
		}
	}
	return g
}

// ClassifyHotpath returns the class of a hot path with breakdown b: ClassCPU,
// ClassIO, ClassSync or ClassSleep, whichever group holds the most time.
// A breakdown with no time at all is ClassCPU, the schema's only choice for a
// hot path; callers should not report empty hot paths.
func ClassifyHotpath(b report.Breakdown) string {
	best, bestV := report.ClassCPU, -1.0
	for _, cg := range attrClassGroups {
		v := 0.0
		for _, s := range cg.states {
			v += b[s]
		}
		if v > bestV {
			best, bestV = cg.class, v
		}
	}
	return best
}

// ClassifyProgram returns the whole-program class for breakdown b: like
// ClassifyHotpath, or ClassIdle when no time at all was measured.
func ClassifyProgram(b report.Breakdown) string {
	total := 0.0
	for _, v := range b {
		total += v
	}
	if !(total > 0) { // also catches NaN
		return report.ClassIdle
	}
	return ClassifyHotpath(b)
}
