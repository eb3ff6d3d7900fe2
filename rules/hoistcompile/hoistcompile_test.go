package hoistcompile_test

import (
	"testing"

	"github.com/advisor-dev/advisor/rules/hoistcompile"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), hoistcompile.Analyzer, "a")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), hoistcompile.Analyzer, "fix")
}
