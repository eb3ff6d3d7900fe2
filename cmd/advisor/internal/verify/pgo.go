package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/profile/abtest"
)

// pgo builds the target with the collected CPU profile, measures it
// against the default build and records the verdict in the report: on the
// pgo recommendation if there is one, else on a pgo recommendation of its
// own, so that an A/B that ran is always in the report, whatever its
// verdict. It reports whether PGO is a verified win.
func (vr *verifier) pgo(base abtest.Variant, orig string) bool {
	o, rep := vr.o, vr.rep
	if o.CPUProfile == "" {
		return false
	}
	idx := slices.IndexFunc(rep.Recommendations, func(r report.Recommendation) bool { return r.Kind == report.KindPGO })
	cpuBound := rep.Summary != nil && rep.Summary.Class == report.ClassCPU
	if idx < 0 && !cpuBound {
		return false
	}
	if _, err := os.Stat(filepath.Join(o.PackageDir, "default.pgo")); o.PackageDir == "" || err == nil {
		return false // the default build already uses a profile (or we cannot tell)
	}
	v := base
	v.PGO = o.CPUProfile
	o.Progress("verify: building with -pgo")
	bin, err := vr.build(v, "pgo")
	if err != nil {
		if vr.ctx.Err() != nil {
			vr.note("PGO: %s while building", vr.stopReason())
			return false
		}
		vr.note("PGO build: %v", err)
		return false
	}
	res, err := vr.measure(vr.abOptions([]string{orig, bin}, o.Runs, "pgo"), "none", "pgo", nil)
	if err != nil || res == nil {
		if err != nil {
			vr.note("PGO: %v", err)
		}
		return false
	}
	o.Progress("verify pgo: " + o.Describe(res))
	win := benchstat.Win(res)
	sp := res.Speedup
	text := fmt.Sprintf("build with profile-guided optimization: copy the CPU profile to default.pgo in the main package and commit it (a -pgo build ran %.1f%% faster here).", (sp-1)*100)
	if idx >= 0 {
		rep.Recommendations[idx].Verified = res
		if win {
			// The measurement replaces the "typical gains, unverified" estimate.
			rep.Recommendations[idx].Text = text
		}
		return win
	}
	if !win {
		// Not recommended, but measured: the reader learns that PGO was
		// tried and what it gave, instead of wondering whether it was.
		rep.Recommendations = append(rep.Recommendations, report.Recommendation{
			Kind:     report.KindPGO,
			Text:     "profile-guided optimization was measured: a -pgo build with the collected CPU profile against the default build.",
			Verified: res,
		})
		return false
	}
	// A measured win replaces a "nothing worth doing": it was worth doing.
	rep.Recommendations = slices.DeleteFunc(rep.Recommendations, func(r report.Recommendation) bool { return r.Kind == report.KindNone })
	rep.Recommendations = append(rep.Recommendations, report.Recommendation{
		Kind:             report.KindPGO,
		Text:             text,
		EstimatedSpeedup: &sp,
		Verified:         res,
	})
	return true
}
