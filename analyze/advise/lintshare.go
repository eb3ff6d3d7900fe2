package advise

import "github.com/advisor-dev/advisor/analyze/report"

// FindingShare is the share (0 to 1) of the profile's samples spent on a
// static finding's code: the samples with the finding's line anywhere on
// the stack (inlined frames expanded), summed over its lines when it spans
// several (an inner search loop spends its time on the loop line and the
// comparison; at most the function's own share: a recursive function's
// sample can hold two of its lines), and for recursion findings, which are
// about the whole function, those with the function on the stack,
// whichever is larger. advisor lint ranks and filters its findings by it.
func FindingShare(ix *SampleIndex, f report.Finding) float64 {
	if ix == nil {
		return 0
	}
	v := ix.Line(f.File, f.Line).Cum
	if f.EndLine > f.Line {
		for l := f.Line + 1; l <= f.EndLine; l++ {
			v += ix.Line(f.File, l).Cum
		}
		if fc := ix.Func(f.Function).Cum; fc > 0 {
			v = min(v, fc)
		}
	}
	if f.Category == report.CategoryRecursion && f.Function != "" {
		v = max(v, ix.Func(f.Function).Cum)
	}
	return ix.Fraction(v)
}
