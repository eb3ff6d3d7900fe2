package benchstat

import "github.com/advisor-dev/advisor/analyze/report"

// VerifyVerdict is what a measured rewrite (a report.Verified) amounts to.
type VerifyVerdict int

// The verdicts, in the order JudgeVerified checks them.
const (
	VerdictTestsFail  VerifyVerdict = iota // the rewrite breaks the tests
	VerdictTooFewRuns                      // fewer than VerifyMinRuns runs: no 95% interval
	VerdictNoChange                        // not significant, or the interval spans 1
	VerdictFaster                          // significantly faster
	VerdictSlower                          // significantly slower
)

// JudgeVerified says what v shows. It is a description, not the decision to
// apply a rewrite: that is Win, which also asks for VerifyMinGain.
func JudgeVerified(v *report.Verified) VerifyVerdict {
	switch {
	case v.Tests == "fail":
		return VerdictTestsFail
	case v.Runs < VerifyMinRuns:
		// p may be small, but the speedup has no 95% interval yet.
		return VerdictTooFewRuns
	case v.P >= VerifyAlpha || v.CILow <= 1 && v.CIHigh >= 1:
		return VerdictNoChange
	case v.Speedup < 1:
		return VerdictSlower
	}
	return VerdictFaster
}
