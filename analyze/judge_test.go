package analyze

import (
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
)

func TestJudgeVerified(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    report.Verified
		want VerifyVerdict
	}{
		{"tests fail", report.Verified{Tests: "fail", Runs: 10, P: 0.001, Speedup: 2, CILow: 1.5, CIHigh: 2.5}, VerdictTestsFail},
		{"too few runs", report.Verified{Tests: "pass", Runs: VerifyMinRuns - 1, P: 0.001, Speedup: 2, CILow: 2, CIHigh: 2}, VerdictTooFewRuns},
		{"not significant", report.Verified{Tests: "pass", Runs: 10, P: VerifyAlpha, Speedup: 2, CILow: 1.5, CIHigh: 2.5}, VerdictNoChange},
		{"interval spans 1", report.Verified{Tests: "pass", Runs: 10, P: 0.01, Speedup: 1.1, CILow: 0.9, CIHigh: 1.3}, VerdictNoChange},
		{"faster", report.Verified{Tests: "none", Runs: 10, P: 0.01, Speedup: 1.5, CILow: 1.2, CIHigh: 1.8}, VerdictFaster},
		{"slower", report.Verified{Tests: "pass", Runs: 10, P: 0.01, Speedup: 0.5, CILow: 0.4, CIHigh: 0.6}, VerdictSlower},
	} {
		if got := JudgeVerified(&tc.v); got != tc.want {
			t.Errorf("%s: verdict %d; want %d", tc.name, got, tc.want)
		}
	}
}

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
