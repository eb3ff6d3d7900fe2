package hoistpure_test

import (
	"testing"

	"github.com/advisor-dev/advisor/rules/hoistpure"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), hoistpure.Analyzer, "a")
}
