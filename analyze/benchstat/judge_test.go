package benchstat

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
