package lint

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/advisor-dev/advisor/rules/all"
)

// TestLoops: Run hands out the dependence verdict of every loop, by file
// and line, for the profile-side advice to use.
func TestLoops(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo packages")
	}
	res, err := Run(context.Background(), Config{Dir: "../..", Patterns: []string{"./testdata/hashchain", "./testdata/reduce", "./testdata/ordered"}, Rules: all.Rules()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"testdata/hashchain/main.go:21": "dependent",
		"testdata/reduce/main.go:21":    "reduction",
		"testdata/ordered/main.go:23":   "ordered",
	}
	got := map[string]Loop{}
	for _, l := range res.Loops {
		got[fmt.Sprintf("%s:%d", l.File, l.Line)] = l
		if l.EndLine < l.Line {
			t.Errorf("%+v: ends before it starts", l)
		}
	}
	for at, v := range want {
		l, ok := got[at]
		if !ok || l.Verdict != v {
			t.Errorf("loop at %s: %+v; want verdict %s (all: %+v)", at, l, v, res.Loops)
		}
		if v == "ordered" && !slices.Equal(l.OrderLines, []int{24}) {
			t.Errorf("loop at %s: ordered effects on lines %v; want [24] (fmt.Println)", at, l.OrderLines)
		}
		if v == "dependent" && l.Reason == "" {
			t.Errorf("loop at %s: dependent without a reason", at)
		}
	}
}
