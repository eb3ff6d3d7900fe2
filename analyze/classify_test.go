package analyze

import (
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		b       report.Breakdown
		hot     string
		program string
	}{
		{"empty", report.Breakdown{}, report.ClassCPU, report.ClassIdle},
		{"zeros", report.Breakdown{report.StateCPU: 0, report.StateSleep: 0}, report.ClassCPU, report.ClassIdle},
		{"cpu", report.Breakdown{report.StateCPU: 0.9, report.StateSleep: 0.1}, report.ClassCPU, report.ClassCPU},
		{"gc and sched count as cpu", report.Breakdown{report.StateCPU: 0.2, report.StateGC: 0.2, report.StateSched: 0.2, report.StateNetwork: 0.4}, report.ClassCPU, report.ClassCPU},
		{"network plus syscall", report.Breakdown{report.StateNetwork: 0.3, report.StateSyscall: 0.3, report.StateCPU: 0.4}, report.ClassIO, report.ClassIO},
		{"lock channel select", report.Breakdown{report.StateLock: 0.2, report.StateChannel: 0.15, report.StateSelect: 0.15, report.StateCPU: 0.45, report.StateSleep: 0.05}, report.ClassSync, report.ClassSync},
		{"sleep", report.Breakdown{report.StateSleep: 0.6, report.StateCPU: 0.4}, report.ClassSleep, report.ClassSleep},
		{"tie goes to cpu", report.Breakdown{report.StateCPU: 0.5, report.StateSleep: 0.5}, report.ClassCPU, report.ClassCPU},
		{"tie io over sync", report.Breakdown{report.StateNetwork: 0.5, report.StateLock: 0.5}, report.ClassIO, report.ClassIO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassifyHotpath(tt.b); got != tt.hot {
				t.Errorf("ClassifyHotpath = %q, want %q", got, tt.hot)
			}
			if got := ClassifyProgram(tt.b); got != tt.program {
				t.Errorf("ClassifyProgram = %q, want %q", got, tt.program)
			}
		})
	}
}

func TestClassGroups(t *testing.T) {
	g := ClassGroups(report.Breakdown{report.StateCPU: 0.1, report.StateGC: 0.1, report.StateSched: 0.1, report.StateNetwork: 0.2, report.StateSyscall: 0.1, report.StateLock: 0.05, report.StateChannel: 0.05, report.StateSelect: 0.1, report.StateSleep: 0.2})
	want := map[string]float64{report.ClassCPU: 0.3, report.ClassIO: 0.3, report.ClassSync: 0.2, report.ClassSleep: 0.2}
	for c, w := range want {
		if d := g[c] - w; d > 1e-12 || d < -1e-12 {
			t.Errorf("group %s = %g, want %g", c, g[c], w)
		}
	}
	// Every breakdown key belongs to exactly one group.
	seen := map[string]int{}
	for _, cg := range attrClassGroups {
		for _, s := range cg.states {
			seen[s]++
		}
	}
	for _, s := range report.States {
		if seen[s] != 1 {
			t.Errorf("state %s is in %d class groups, want 1", s, seen[s])
		}
	}
}
