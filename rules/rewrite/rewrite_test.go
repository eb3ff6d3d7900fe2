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

	"golang.org/x/tools/go/packages"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// marked returns the lines of file whose comment is "// <tag> <kind>".
func marked(t *testing.T, file, tag string) map[int]string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`// ` + tag + ` (goroutines|workers|builder)\b`)
	lines := map[int]string{}
	for i, l := range strings.Split(string(src), "\n") {
		if m := re.FindStringSubmatch(l); m != nil {
			lines[i+1] = m[1]
		}
	}
	return lines
}

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

// typeChecks loads dir with file replaced by content and fails on errors.
func typeChecks(t *testing.T, dir, file string, content []byte) {
	t.Helper()
	abs, _ := filepath.Abs(file)
	cfg := &packages.Config{Dir: dir, Mode: packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo, Overlay: map[string][]byte{abs: content}}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatal(err)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			t.Errorf("%s: rewritten package does not type-check: %v", file, e)
		}
	})
}

func TestGolden(t *testing.T) {
	p := load(t, "testdata/ok")
	files, _ := filepath.Glob("testdata/ok/*.go")
	n := 0
	for _, file := range files {
		for line, kind := range marked(t, file, "want") {
			n++
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
			typeChecks(t, "testdata/ok", file, rw.New)
		}
	}
	if n != 7 {
		t.Errorf("found %d marked lines in testdata/ok, want 7", n)
	}
}

func TestNearMisses(t *testing.T) {
	p := load(t, "testdata/no")
	file := "testdata/no/no.go"
	lines := marked(t, file, "nomatch")
	if len(lines) < 15 {
		t.Fatalf("found %d near-misses, want at least 15", len(lines))
	}
	for line, kind := range lines {
		rw, err := apply(p, kind, file, line)
		if !errors.Is(err, ErrNoMatch) {
			t.Errorf("%s:%d: %s applied (err %v):\n%s", file, line, kind, err, newText(rw))
			continue
		}
		t.Logf("%s:%d: %s: %v", file, line, kind, err)
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
		{"fetch", "goroutines", "size, err := fetch(", []string{"g.SetLimit(8)", "sizes[i], errs[i] = fetch(client", "size, err := sizes[i], errs[i]"}},
		{"mixed", "goroutines", "rec, err := download(", []string{"recs[i], errs[i] = download(", "records = append(records, rec)"}},
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
