package lint

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteThroughSymlink: a fix of a symlinked file changes the file it
// points to and leaves the link a link.
func TestWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.go")
	link := filepath.Join(dir, "link.go")
	old := []byte("package a\n")
	if err := os.WriteFile(real, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	if err := Write([]Change{{File: link, Old: old, New: []byte("package b\n")}}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link.go is no longer a symlink (%v, %v)", fi.Mode(), err)
	}
	if got, _ := os.ReadFile(real); string(got) != "package b\n" {
		t.Errorf("real.go = %q, want the fix", got)
	}
}
