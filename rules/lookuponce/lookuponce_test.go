package lookuponce_test

import (
	"testing"

	"github.com/advisor-dev/advisor/rules/lookuponce"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lookuponce.Analyzer, "a")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), lookuponce.Analyzer, "fix")
}
