package cli

import "testing"

func TestAsksJSON(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"--json", "./x"}, true},
		{[]string{"--bogus", "-json", "./x"}, true},
		{[]string{"--json=true"}, true},
		{[]string{"--json=false"}, false},
		{[]string{"--format", "json"}, true},
		{[]string{"--format=json", "--bogus"}, true},
		{[]string{"-format", "sarif"}, false},
		{[]string{"--format"}, false},
		{[]string{"./x", "--", "--json"}, false}, // the target's own flag
		{[]string{"json"}, false},
		{nil, false},
	} {
		if got := AsksJSON(tc.args); got != tc.want {
			t.Errorf("AsksJSON(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
