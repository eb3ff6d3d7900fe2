package readallstream_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/advisor-dev/advisor/rules/readallstream"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), readallstream.Analyzer, "a")
}
