package store

import "testing"

// joinKeys is in a test file: advisor lint hides its finding by default
// (--all shows it); golangci-lint, like go vet, reports it.
func joinKeys(keys []string) string {
	s := ""
	for _, k := range keys {
		s += k
	}
	return s
}

func TestCount(t *testing.T) {
	keys := []string{"a", "b", "c"}
	m := map[string]int{"a": 1, "b": 2, "c": 3}
	if got := Count(m, keys); got != 6 {
		t.Fatalf("Count(%s) = %d, want 6", joinKeys(keys), got)
	}
}
