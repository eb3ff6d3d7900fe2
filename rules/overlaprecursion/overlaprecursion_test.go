package overlaprecursion_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/overlaprecursion"
)

func Test(t *testing.T) {
	testdata := analysistest.TestData()
	analysistest.Run(t, testdata, overlaprecursion.Analyzer, "a")
	analysistest.RunWithSuggestedFixes(t, testdata, overlaprecursion.Analyzer, "fix")
}
