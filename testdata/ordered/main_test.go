package main

import "testing"

func TestDigest(t *testing.T) {
	if digest(3) == digest(4) {
		t.Error("digest(3) == digest(4)")
	}
}
