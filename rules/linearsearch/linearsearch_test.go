package linearsearch_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/linearsearch"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), linearsearch.Analyzer, "a")
}
