package sequentialio_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/sequentialio"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), sequentialio.Analyzer, "a")
}
