package main

import "testing"

func TestTotal(t *testing.T) {
	xs := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	want := 0
	for _, x := range xs {
		want += weight(x)
	}
	if got := total(xs); got != want {
		t.Errorf("total = %d, want %d", got, want)
	}
}
