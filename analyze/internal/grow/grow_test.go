package grow

import "testing"

func TestAppendDoubles(t *testing.T) {
	var s []int
	allocs := 0
	for i := range 1 << 20 {
		before := cap(s)
		s = Append(s, i)
		if cap(s) != before {
			allocs++
			if before >= 256 && cap(s) < 2*before {
				t.Fatalf("grew from %d to %d, want at least double", before, cap(s))
			}
		}
	}
	for i, v := range s {
		if v != i {
			t.Fatalf("s[%d] = %d", i, v)
		}
	}
	// Doubling from 256 to 1M takes a dozen steps; the runtime's 1.25×
	// growth takes about 40.
	if allocs > 24 {
		t.Errorf("%d allocations for 1M appends, want at most 24", allocs)
	}
}
