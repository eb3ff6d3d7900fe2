package advise

import (
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

func TestTopHotpaths(t *testing.T) {
	hs := []report.Hotpath{{Share: 0.001}, {Share: 0.0001}}
	if got := TopHotpaths(hs, 0); len(got) != 1 {
		t.Errorf("all noise: %d listed; want the first", len(got))
	}
	hs = []report.Hotpath{{Share: 0.5}, {Share: 0.3}, {Share: 0.1}, {Share: 0.004}}
	if got := TopHotpaths(hs, 2); len(got) != 2 {
		t.Errorf("max 2: %d listed", len(got))
	}
	if got := TopHotpaths(hs, 0); len(got) != 3 {
		t.Errorf("no max: %d listed; want 3 (the last is noise)", len(got))
	}
	if got := TopHotpaths(nil, 5); len(got) != 0 {
		t.Errorf("none: %d listed", len(got))
	}
}
