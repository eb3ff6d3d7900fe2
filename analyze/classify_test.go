package analyze

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		b       Breakdown
		hot     string
		program string
	}{
		{"empty", Breakdown{}, ClassCPU, ClassIdle},
		{"zeros", Breakdown{StateCPU: 0, StateSleep: 0}, ClassCPU, ClassIdle},
		{"cpu", Breakdown{StateCPU: 0.9, StateSleep: 0.1}, ClassCPU, ClassCPU},
		{"gc and sched count as cpu", Breakdown{StateCPU: 0.2, StateGC: 0.2, StateSched: 0.2, StateNetwork: 0.4}, ClassCPU, ClassCPU},
		{"network plus syscall", Breakdown{StateNetwork: 0.3, StateSyscall: 0.3, StateCPU: 0.4}, ClassIO, ClassIO},
		{"lock channel select", Breakdown{StateLock: 0.2, StateChannel: 0.15, StateSelect: 0.15, StateCPU: 0.45, StateSleep: 0.05}, ClassSync, ClassSync},
		{"sleep", Breakdown{StateSleep: 0.6, StateCPU: 0.4}, ClassSleep, ClassSleep},
		{"tie goes to cpu", Breakdown{StateCPU: 0.5, StateSleep: 0.5}, ClassCPU, ClassCPU},
		{"tie io over sync", Breakdown{StateNetwork: 0.5, StateLock: 0.5}, ClassIO, ClassIO},
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
	g := ClassGroups(Breakdown{StateCPU: 0.1, StateGC: 0.1, StateSched: 0.1, StateNetwork: 0.2, StateSyscall: 0.1, StateLock: 0.05, StateChannel: 0.05, StateSelect: 0.1, StateSleep: 0.2})
	want := map[string]float64{ClassCPU: 0.3, ClassIO: 0.3, ClassSync: 0.2, ClassSleep: 0.2}
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
	for _, s := range States {
		if seen[s] != 1 {
			t.Errorf("state %s is in %d class groups, want 1", s, seen[s])
		}
	}
}
