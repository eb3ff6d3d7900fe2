package sprintfconv_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/sprintfconv"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), sprintfconv.Analyzer, "a")
}
