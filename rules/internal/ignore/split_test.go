package ignore

import (
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	known := []string{"a", "b"}
	for _, tc := range []struct {
		in    string
		rules []string
		msg   string
	}{
		{" a why", []string{"a"}, ""},
		{" a,b  two rules, one reason ", []string{"a", "b"}, ""},
		{"\ta\twhy", []string{"a"}, ""},
		{" a", nil, "needs a reason"},
		{"", nil, "needs a rule and a reason"},
		{" c why", nil, `unknown rule "c"`},
		{" a,,b why", nil, "empty rule name"},
	} {
		rules, msg := split(tc.in, known)
		if !slices.Equal(rules, tc.rules) || !strings.Contains(msg, tc.msg) || (tc.msg == "") != (msg == "") {
			t.Errorf("split(%q) = %q, %q; want %q, %q", tc.in, rules, msg, tc.rules, tc.msg)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{" a why", " a,b r", "", " ,", " a,,b x", "\ta b", " a\u00a0b c"} {
		f.Add(s)
	}
	known := []string{"a", "b"}
	f.Fuzz(func(t *testing.T, in string) {
		rules, msg := split(in, known)
		if msg != "" {
			if rules != nil {
				t.Fatalf("split(%q): rules %q with error %q", in, rules, msg)
			}
			return
		}
		if len(rules) == 0 {
			t.Fatalf("split(%q): no rules and no error", in)
		}
		for _, r := range rules {
			if !slices.Contains(known, r) {
				t.Fatalf("split(%q): unknown rule %q accepted", in, r)
			}
		}
	})
}
