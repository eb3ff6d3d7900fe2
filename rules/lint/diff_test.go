package lint

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func sha(b []byte) [32]byte { return sha256.Sum256(b) }

func TestUnifiedDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	new := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n"
	want := `--- old
+++ new
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -11,3 +11,4 @@
 k
 l
 m
+n
`
	if got := UnifiedDiff("old", "new", []byte(old), []byte(new)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := UnifiedDiff("old", "new", []byte(old), []byte(old)); got != "" {
		t.Errorf("equal inputs: %q", got)
	}
}

// patch applies a unified diff made by UnifiedDiff to old.
func patch(old, diff string) (string, error) {
	a := splitLines(old)
	var out []string
	next := 0 // next line of a to copy
	lines := splitLines(diff)
	for i := 2; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "@@ ") {
			return "", fmt.Errorf("line %d: want hunk header, got %q", i, l)
		}
		f := strings.Fields(l)
		r, _, _ := strings.Cut(strings.TrimPrefix(f[1], "-"), ",")
		start, err := strconv.Atoi(r)
		if err != nil {
			return "", err
		}
		if !strings.Contains(f[1], ",0") {
			start-- // 1-based, except for empty ranges
		}
		if start < next {
			return "", fmt.Errorf("hunk at %d overlaps", start)
		}
		out = append(out, a[next:start]...)
		next = start
		for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "@@ ") {
			i++
			body := lines[i]
			if strings.HasPrefix(body, `\ No newline`) {
				last := out[len(out)-1]
				out[len(out)-1] = strings.TrimSuffix(last, "\n")
				continue
			}
			switch body[0] {
			case ' ':
				if next >= len(a) || a[next] != body[1:] {
					return "", fmt.Errorf("context mismatch at %d", next)
				}
				out = append(out, body[1:])
				next++
			case '-':
				if next >= len(a) || a[next] != body[1:] {
					return "", fmt.Errorf("delete mismatch at %d", next)
				}
				next++
			case '+':
				out = append(out, body[1:])
			}
		}
	}
	out = append(out, a[next:]...)
	return strings.Join(out, ""), nil
}

func FuzzUnifiedDiff(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Add("", "x\n")
	f.Add("x", "y")
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n", "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\n11\n12\nY\n14\n15\n16\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		// Equal lines must be recognizable: only inputs ending in a newline
		// (Go source after gofmt always does).
		if !strings.HasSuffix(old, "\n") || !strings.HasSuffix(new, "\n") {
			return
		}
		d := UnifiedDiff("old", "new", []byte(old), []byte(new))
		if old == new {
			if d != "" {
				t.Fatalf("diff of equal inputs: %q", d)
			}
			return
		}
		got, err := patch(old, d)
		if err != nil {
			t.Fatalf("patch: %v\ndiff:\n%s", err, d)
		}
		if got != new {
			t.Fatalf("patched %q, want %q\ndiff:\n%s", got, new, d)
		}
	})
}
