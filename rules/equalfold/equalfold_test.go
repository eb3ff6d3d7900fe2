package equalfold_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/equalfold"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), equalfold.Analyzer, "a")
}
