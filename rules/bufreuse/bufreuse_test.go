package bufreuse_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/bufreuse"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), bufreuse.Analyzer, "a")
}
