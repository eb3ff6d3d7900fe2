package a

import (
	"os"
	"testing"
)

func TestOpen(t *testing.T) {
	users := []string{"a", "b"}
	for _, u := range users {
		f, err := os.Open("testdata/x") // tests repeat I/O on purpose
		if err != nil {
			t.Fatal(u, err)
		}
		f.Close()
	}
}
