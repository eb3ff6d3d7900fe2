package main

import "testing"

func TestEscape(t *testing.T) {
	if got := escape(0, 0, 100); got != 100 {
		t.Errorf("escape(0, 0) = %d, want 100 (inside)", got)
	}
	if got := escape(2, 2, 100); got != 0 {
		t.Errorf("escape(2, 2) = %d, want 0", got)
	}
}

// TestRender checks every pixel against escape, whatever order the rows are
// computed in.
func TestRender(t *testing.T) {
	const w, h, max = 13, 9, 50
	img := render(w, h, max)
	if len(img) != h {
		t.Fatalf("render returned %d rows, want %d", len(img), h)
	}
	for y, row := range img {
		if len(row) != w {
			t.Fatalf("row %d has %d pixels, want %d", y, len(row), w)
		}
		for x, v := range row {
			if want := escape(-2+3*float64(x)/float64(w), -1.5+3*float64(y)/float64(h), max); v != want {
				t.Errorf("pixel (%d, %d) = %d, want %d", x, y, v, want)
			}
		}
	}
}
