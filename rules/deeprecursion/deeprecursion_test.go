package deeprecursion_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/deeprecursion"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deeprecursion.Analyzer, "a")
}
