package lint

import (
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/rules/all"
)

func FuzzParseFailOn(f *testing.F) {
	for _, s := range []string{"any", "none", "recursion,hoist", "overlaprecursion", " cache , set", "none,any", ",", "nosuch"} {
		f.Add(s)
	}
	rules := all.Rules()
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return // the flag's "not set" value
		}
		p, err := ParseFailOn(s, true, rules)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if p.none && (p.any || len(p.match) > 0) {
			t.Fatalf("%q: none combined with others: %+v", s, p)
		}
		if !p.none && !p.any && len(p.match) == 0 {
			t.Fatalf("%q: accepted but matches nothing: %+v", s, p)
		}
	})
}
