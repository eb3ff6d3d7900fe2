package lintcmd

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFailLine(t *testing.T) {
	for _, tc := range []struct{ out, want string }{
		{"goos: linux\n--- FAIL: BenchmarkBad\n    bad_test.go:5: broken\nFAIL\nexit status 1\nFAIL\tm/bad\t0.01s\n", "--- FAIL: BenchmarkBad"},
		{"# m/bad [m/bad.test]\n./bad_test.go:5:2: undefined: x\nFAIL\tm/bad [build failed]\n", "./bad_test.go:5:2: undefined: x"},
		{"panic: boom\n\ngoroutine 1 [running]:\n", "panic: boom"},
		{"something else\nlast words\n", "last words"},
		{"", "no output"},
	} {
		if got := failLine([]byte(tc.out)); got != tc.want {
			t.Errorf("failLine(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}

func TestHasBenchmark(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.go", "package a\n\nfunc BenchmarkNotATest(b *testing.B) {}\n") // not a _test.go file
	write("a_test.go", "package a\n\n// func BenchmarkInAComment(b *testing.B)\nfunc TestA(t *testing.T) {}\n")
	if hasBenchmark(dir) {
		t.Errorf("benchmark found in a non-test file or a comment")
	}
	write("b_test.go", "package a\n\nimport \"testing\"\n\nfunc BenchmarkB(b *testing.B) {}\n")
	if !hasBenchmark(dir) {
		t.Errorf("BenchmarkB not found")
	}
}
