package main

import "testing"

func TestChain(t *testing.T) {
	if chain(2) != step(step(1)) {
		t.Error("chain(2) is not step(step(1))")
	}
}
