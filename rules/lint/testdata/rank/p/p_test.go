package p

import "testing"

func TestJoin(t *testing.T) {
	s := ""
	for _, w := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		s += w
	}
	if Join([]string{s}) != s {
		t.Fatal(s)
	}
}
