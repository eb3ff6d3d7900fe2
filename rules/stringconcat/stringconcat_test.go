package stringconcat_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/stringconcat"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), stringconcat.Analyzer, "a")
}
