package srcloop

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeSource writes a main.go into a new module dir and returns the dir
// and a function giving the line of the first line containing a marker.
func writeSource(t *testing.T, src string) (dir string, lineOf func(marker string) int) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, func(marker string) int {
		t.Helper()
		for i, l := range strings.Split(src, "\n") {
			if strings.Contains(l, marker) {
				return i + 1
			}
		}
		t.Fatalf("no line contains %q", marker)
		return 0
	}
}

const loopsSource = `package main

import "os"

func copyAll(names []string, size int) {
	for _, name := range names { // outer
		f, _ := os.Create(name)
		for off := 0; off < size; off += 512 { // inner
			f.Sync() // sync
			send(name) // send
		}
	}
}

func spawn(items []int) {
	for _, it := range items { // spawn loop
		go func() {
			work(it) // in closure
		}()
	}
}

func grid(h, w int) {
	for y := 0; y < h; y++ { // rows
		for x := 0; x < w; x++ { // cols
			pixel(x, y) // pixel
		}
	}
	once() // once
}

func main() {
	for i := 0; i < 3; i++ { // main loop
		grid(i, i)
	}
	grid(1, 1) // single
}
`

func TestSourceLoops(t *testing.T) {
	dir, lineOf := writeSource(t, loopsSource)
	s := New(dir)
	lines := func(ls []Stmt) []int {
		var out []int
		for _, l := range ls {
			out = append(out, l.Line)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		marker string
		cpu    bool
		around []string // markers of the loops around the line
		chosen string   // marker of the chosen loop ("" when none)
		pinned string
	}{
		{"a receiver declared per outer iteration pins the inner loop", "// sync", false, []string{"// outer", "// inner"}, "// outer", "f"},
		{"an argument that is a header variable does not pin: innermost for I/O", "// send", false, []string{"// outer", "// inner"}, "// inner", ""},
		{"CPU work: the outermost loop", "// pixel", true, []string{"// rows", "// cols"}, "// rows", ""},
		{"I/O: the innermost loop", "// pixel", false, []string{"// rows", "// cols"}, "// cols", ""},
		{"a function literal is a boundary (it may be a goroutine)", "// in closure", false, nil, "", ""},
		{"no loop around the line", "// once", false, nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loops, known := s.Around("main.go", lineOf(tc.marker))
			if !known {
				t.Fatal("source not read")
			}
			var want []int
			for _, m := range tc.around {
				want = append(want, lineOf(m))
			}
			if got := lines(loops); !slices.Equal(got, want) {
				t.Fatalf("loops around %q at lines %v; want %v", tc.marker, got, want)
			}
			if len(loops) == 0 {
				return
			}
			c := s.Choose("main.go", lineOf(tc.marker), loops, tc.cpu)
			if c.Loop.Line != lineOf(tc.chosen) || c.Pinned != tc.pinned {
				t.Errorf("chose the loop at line %d pinned by %q; want line %d pinned by %q", c.Loop.Line, c.Pinned, lineOf(tc.chosen), tc.pinned)
			}
		})
	}

	t.Run("loopCalling finds the loop that calls a function, and only in a loop", func(t *testing.T) {
		l, ok, known := s.LoopCalling("main.go", lineOf("// single"), "main.grid", true)
		if !known || !ok || l.Line != lineOf("// main loop") {
			t.Errorf("loopCalling(grid) = line %d, %v, %v; want line %d", l.Line, ok, known, lineOf("// main loop"))
		}
		if _, ok, _ := s.LoopCalling("main.go", lineOf("// once"), "main.once", false); ok {
			t.Error("once is called outside any loop, yet a loop was found")
		}
		if _, ok, _ := s.LoopCalling("main.go", lineOf("// spawn loop"), "main.work", false); ok {
			t.Error("a call inside a function literal was taken as the loop's own")
		}
	})

	t.Run("unknown sources", func(t *testing.T) {
		if _, known := s.Around("missing.go", 3); known {
			t.Error("a missing file counted as read")
		}
		if _, known := New("").Around("main.go", 3); known {
			t.Error("a relative file without a module dir counted as read")
		}
		var nilSrc *Source
		if _, known := nilSrc.Around("main.go", 3); known {
			t.Error("nil Source counted as read")
		}
	})
}

func TestShortName(t *testing.T) {
	for fn, want := range map[string]string{
		"main.spin":                        "spin",
		"main.(*table).add":                "add",
		"example.com/x/calc.Score":         "Score",
		"example.com/x/y.(*C[...]).Do":     "Do",
		"example.com/x/y.Map[...]":         "Map",
		"main.main.func1":                  "",
		"main.main.func12":                 "",
		"example.com/v2/pkg.function":      "function",
		"nodot":                            "",
		"example.com/x.(*T).funcs":         "funcs",
		"example.com/x.(*T).Method.func3":  "",
		"example.com/x.(*T).Method.funcy":  "funcy",
		"example.com/x.(*T).Method.func3x": "func3x",
	} {
		if got := shortName(fn); got != want {
			t.Errorf("shortName(%q) = %q; want %q", fn, got, want)
		}
	}
}
