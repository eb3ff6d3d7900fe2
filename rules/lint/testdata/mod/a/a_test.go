package a

import "testing"

func TestSlow(t *testing.T) {
	if slow() != 1 {
		t.Fatal("slow")
	}
}
