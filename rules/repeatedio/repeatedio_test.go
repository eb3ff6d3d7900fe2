package repeatedio_test

import (
	"testing"

	"github.com/advisor-dev/advisor/rules/repeatedio"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), repeatedio.Analyzer, "a")
}
