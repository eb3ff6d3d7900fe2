package main

import "testing"

func TestFind(t *testing.T) {
	if got := find(10, score(4)); got != 4 {
		t.Errorf("find = %d, want 4", got)
	}
}
