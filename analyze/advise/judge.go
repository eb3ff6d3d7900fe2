package advise

import "github.com/advisor-dev/advisor/analyze/report"

// The judgements in this file are the ones a report shows but must not make
// itself: renderers ask them, so the text and the HTML report agree and
// neither holds a threshold of its own.

// HotpathNoise is the share of the run under which a hot path is noise to a
// reader (the JSON report still lists it).
const HotpathNoise = 0.005

// TopHotpaths returns the leading hot paths of hs (ranked by share, as
// Attribute returns them) worth listing to a reader: at most max of them
// (all when max <= 0), ending before the first under HotpathNoise, but
// always the first one.
func TopHotpaths(hs []report.Hotpath, max int) []report.Hotpath {
	n := 0
	for _, h := range hs {
		if max > 0 && n >= max || h.Share < HotpathNoise && n > 0 {
			break
		}
		n++
	}
	return hs[:n]
}

// ColdFinding reports whether f was measured to take no time of the run.
// Advise already drops findings under its MinShare unless a recommendation
// cites them; a reader is shown those cited ones only when they are hot.
func ColdFinding(f report.Finding) bool {
	return f.HotShare != nil && *f.HotShare <= 0
}
