package lint

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/rules/all"
)

func TestHiddenByDefault(t *testing.T) {
	res, err := Run(context.Background(), Config{Dir: "testdata/rank", Patterns: []string{"./..."}, Tests: true, Rules: all.Rules()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s %q", f.File, f.Line, f.Rule, res.Hidden[i]))
	}
	want := []string{
		`docgen/g.go:8 stringconcat "generator"`,
		`docgen/g.go:17 stringconcat "generator"`,
		`internal/testutil/u.go:8 stringconcat "test helper"`,
		`p/cold.go:20 stringconcat "cold callers"`,
		`p/cold.go:36 stringconcat "cold callers"`,
		`p/cold.go:53 stringconcat "cold callers"`,
		`p/cold.go:63 stringconcat "debug output"`,
		`p/cold.go:76 stringconcat ""`,
		`p/cold.go:93 stringconcat ""`,
		`p/cold.go:104 stringconcat ""`,
		`p/cold.go:118 stringconcat ""`,
		`p/cold.go:137 stringconcat ""`,
		`p/cold.go:151 stringconcat ""`,
		`p/cold.go:153 deeprecursion ""`,
		`p/cold.go:162 stringconcat ""`,
		`p/cold.go:193 stringconcat "cold callers"`,
		`p/cold.go:202 stringconcat "help text"`,
		`p/cold.go:211 stringconcat ""`,
		`p/cold.go:223 stringconcat "error path"`,
		`p/cold.go:241 stringconcat "error path"`,
		`p/cold.go:255 stringconcat ""`,
		`p/once.go:12 prealloc "once per call"`,
		`p/once.go:23 prealloc ""`,
		`p/once.go:42 prealloc ""`,
		`p/once.go:53 prealloc "once per call"`,
		`p/once.go:67 prealloc ""`,
		`p/once.go:81 prealloc ""`,
		`p/once.go:91 equalfold "once per call"`,
		`p/once.go:106 equalfold ""`,
		`p/once.go:114 lookuponce "micro"`,
		`p/once.go:124 linearsearch "micro"`,
		`p/p.go:15 stringconcat "init"`,
		`p/p.go:23 stringconcat "init"`,
		`p/p.go:33 stringconcat "String method"`,
		`p/p.go:43 stringconcat "error path"`,
		`p/p.go:50 stringconcat "error path"`,
		`p/p.go:62 lookuponce "small loop"`,
		`p/p.go:72 stringconcat ""`,
		`p/p.go:81 sequentialio "file I/O"`,
		`p/p.go:94 stringconcat "debug output"`,
		`p/p_test.go:8 stringconcat "test file"`,
		`p/ser.go:15 prealloc "serialized"`,
		`p/ser.go:24 prealloc "serialized"`,
		`p/ser.go:38 prealloc "serialized"`,
		`p/ser.go:49 prealloc ""`,
		`p/ser.go:59 prealloc ""`,
		`p/ser.go:69 prealloc ""`,
		`p/zz_generated.go:9 stringconcat "generated"`,
		`tools/app/main.go:12 stringconcat ""`,
		`tools/helpers/main.go:13 stringconcat "generator"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	shown := res.Show(ShowOptions{})
	var lines []string
	for _, f := range shown.Findings {
		lines = append(lines, fmt.Sprintf("%s:%d%s", f.File, f.Line, f.Hidden))
	}
	if got, want := strings.Join(lines, " "), "p/cold.go:76 p/cold.go:93 p/cold.go:104 p/cold.go:118 p/cold.go:137 p/cold.go:151 p/cold.go:153 p/cold.go:162 p/cold.go:211 p/cold.go:255 p/once.go:23 p/once.go:42 p/once.go:67 p/once.go:81 p/once.go:106 p/p.go:72 p/ser.go:49 p/ser.go:59 p/ser.go:69 tools/app/main.go:12"; got != want {
		t.Errorf("shown: %s, want %s", got, want)
	}
	if s := shown.Summary(); s != "30 findings hidden (cold callers 4, error paths 4, generators 3, once per call 3, serialized slices 3, debug output 2, init 2, micro-optimizations without a profile 2, String methods 1, file I/O without a profile 1, generated files 1, help text 1, small loops 1, tests 1, test helpers 1); --all shows them" {
		t.Errorf("summary: %s", s)
	}
	all := res.Show(ShowOptions{All: true})
	if len(all.Findings) != len(res.Findings) || all.Findings[0].Hidden != HiddenGenerator || all.Summary() != "" {
		t.Errorf("--all: %+v, %q", all.Findings, all.Summary())
	}

	// With a profile, only the share decides: the hot finding is shown
	// even in a test file, ranked first; the cold ones are hidden.
	share := func(f report.Finding) float64 {
		switch {
		case strings.HasSuffix(f.File, "_test.go"):
			return 0.40
		case f.Line == 72:
			return 0.10
		}
		return 0.001
	}
	hot := res.Show(ShowOptions{Share: share, MinShare: 0.005})
	if len(hot.Findings) != 2 || !strings.HasSuffix(hot.Findings[0].File, "_test.go") || hot.Findings[1].Line != 72 || *hot.Findings[1].HotShare != 0.10 {
		t.Errorf("with a profile: %+v", hot.Findings)
	}
	if hot.Hidden[HiddenCold] != len(res.Findings)-2 {
		t.Errorf("hidden with a profile: %v", hot.Hidden)
	}

	// A profile that sampled nothing of a package does not call its
	// findings cold: it did not run them.
	profiled := func(f report.Finding) bool { return strings.HasPrefix(f.File, "p/") }
	cov := res.Show(ShowOptions{Share: share, MinShare: 0.005, Profiled: profiled, All: true})
	for _, f := range cov.Findings {
		want := ""
		switch {
		case f.Line == 72 && f.File == "p/p.go", strings.HasSuffix(f.File, "_test.go"):
		case strings.HasPrefix(f.File, "p/"):
			want = HiddenCold
		default:
			want = HiddenUnprofiled
		}
		if f.Hidden != want {
			t.Errorf("%s:%d hidden %q with a profile that sampled only p, want %q", f.File, f.Line, f.Hidden, want)
		}
	}
}
