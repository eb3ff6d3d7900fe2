package rewrite

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// marked returns the lines of file whose comment is "// <tag> <kind>",
// optionally followed by ": <part of the reason>".
func marked(t *testing.T, file, tag string) map[int]mark {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`// ` + tag + ` (goroutines|workers|builder)\b(?:: (.*))?`)
	lines := map[int]mark{}
	for i, l := range strings.Split(string(src), "\n") {
		if m := re.FindStringSubmatch(l); m != nil {
			lines[i+1] = mark{m[1], m[2]}
		}
	}
	return lines
}

type mark struct{ kind, why string }

func load(t *testing.T, dir string) *Package {
	t.Helper()
	p, err := Load(context.Background(), dir, ".")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func apply(p *Package, kind, file string, line int) (*Rewrite, error) {
	switch kind {
	case "goroutines":
		return Goroutines(p, file, line)
	case "builder":
		return Builder(p, file, line)
	}
	return Workers(p, file, line)
}

// typeChecks loads dir afresh and type-checks its package with file
// replaced by content (the check the templates run themselves, on a
// package of its own).
var checkers = map[string]*Package{}

func typeChecks(t *testing.T, dir, file string, content []byte) {
	t.Helper()
	abs, _ := filepath.Abs(file)
	p, ok := checkers[dir]
	if !ok {
		p = load(t, dir)
		checkers[dir] = p
	}
	if err := p.Check(&Rewrite{File: abs, New: content}); err != nil {
		t.Errorf("%s: %v", file, err)
	}
}

// TestGolden applies the templates at the marked lines of the modules
// under testdata (ok: Go 1.26 with golang.org/x/sync; stdlib: without it;
// old: Go 1.21) and compares with the golden files; every output must
// type-check as part of its package.
func TestGolden(t *testing.T) {
	n := 0
	for _, dir := range []string{"testdata/ok", "testdata/stdlib", "testdata/old"} {
		p := load(t, dir)
		files, _ := filepath.Glob(dir + "/*.go")
		for _, file := range files {
			for line, m := range marked(t, file, "want") {
				n++
				kind := m.kind
				rw, err := apply(p, kind, file, line)
				if err != nil {
					t.Errorf("%s:%d: %s: %v", file, line, kind, err)
					continue
				}
				if rw.Concurrent != (kind != "builder") || rw.Kind != kind || !bytes.Equal(rw.Old, mustRead(t, file)) {
					t.Errorf("%s:%d: rewrite metadata: kind %q concurrent %v", file, line, rw.Kind, rw.Concurrent)
				}
				golden := fmt.Sprintf("%s.%d.golden", file, line)
				if *update {
					if err := os.WriteFile(golden, rw.New, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if want := mustRead(t, golden); !bytes.Equal(rw.New, want) {
					t.Errorf("%s:%d: got\n%s\nwant\n%s", file, line, rw.New, want)
				}
				typeChecks(t, dir, file, rw.New)
			}
		}
	}
	if n != 23 {
		t.Errorf("found %d marked lines, want 23", n)
	}
}

// TestNearMisses: every marked line of testdata/no is declined, with the
// marked reason when there is one.
func TestNearMisses(t *testing.T) {
	p := load(t, "testdata/no")
	files, _ := filepath.Glob("testdata/no/*.go")
	count := 0
	for _, file := range files {
		for line, m := range marked(t, file, "nomatch") {
			count++
			rw, err := apply(p, m.kind, file, line)
			if !errors.Is(err, ErrNoMatch) {
				t.Errorf("%s:%d: %s applied (err %v):\n%s", file, line, m.kind, err, newText(rw))
				continue
			}
			if !strings.HasPrefix(err.Error(), "declined: ") || !strings.Contains(err.Error(), m.why) {
				t.Errorf("%s:%d: %s: got %q, want the reason %q", file, line, m.kind, err, m.why)
			}
			t.Logf("%s:%d: %s: %v", file, line, m.kind, err)
		}
	}
	if count < 20 {
		t.Fatalf("found %d near-misses, want at least 20", count)
	}
}

func newText(rw *Rewrite) string {
	if rw == nil {
		return ""
	}
	return string(rw.New)
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDemos applies the templates to the demo programs at the loops the
// advisor points at and checks that the result type-checks and has the
// shape of the hand-written fixes in testdata/fixed.
func TestDemos(t *testing.T) {
	for _, tc := range []struct {
		demo, kind, at string // at: a substring of the hot line
		want           []string
	}{
		{"fetch", "goroutines", "size, err := fetch(", []string{"g.SetLimit(8)", "size, err := fetch(client", "sizes[i], errs[i] = size, err", "size, err := sizes[i], errs[i]"}},
		{"mixed", "goroutines", "rec, err := download(", []string{"rec, err := download(", "recs[i], errs[i] = rec, err", "records = append(records, rec)"}},
		{"mandelbrot", "workers", "row[x] = escape(", []string{"for range runtime.GOMAXPROCS(0)", "for y := range indices", "indices <- y"}},
		{"mandelbrot", "workers", "zr, zi = zr*zr", []string{"for y := range indices"}}, // the hot line inside escape
	} {
		t.Run(tc.demo+"/"+tc.kind, func(t *testing.T) {
			dir := filepath.Join("..", "..", "testdata", tc.demo)
			file := filepath.Join(dir, "main.go")
			line := 0
			for i, l := range strings.Split(string(mustRead(t, file)), "\n") {
				if strings.Contains(l, tc.at) {
					line = i + 1
				}
			}
			if line == 0 {
				t.Fatalf("%q not found in %s", tc.at, file)
			}
			rw, err := apply(load(t, dir), tc.kind, file, line)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(rw.New), w) {
					t.Errorf("rewrite lacks %q:\n%s", w, rw.New)
				}
			}
			typeChecks(t, dir, file, rw.New)
		})
	}
}

func TestPure(t *testing.T) {
	p := load(t, "testdata/no")
	for name, want := range map[string][2]bool{ // {strict, lax}
		"pure":        {true, true},
		"printed":     {false, false},
		"get":         {false, false},
		"next":        {false, false},
		"readsGlobal": {false, true},
	} {
		fn, _ := p.Types.Scope().Lookup(name).(*types.Func)
		if fn == nil {
			t.Fatalf("no func %s", name)
		}
		if got := [2]bool{Pure(p, fn, true), Pure(p, fn, false)}; got != want {
			t.Errorf("Pure(%s) strict/lax = %v, want %v", name, got, want)
		}
	}
	q := load(t, "testdata/ok")
	for _, name := range []string{"square", "cell"} {
		if fn, _ := q.Types.Scope().Lookup(name).(*types.Func); fn == nil || !Pure(q, fn, true) {
			t.Errorf("%s should be pure", name)
		}
	}
}
