package verify

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/advisor-dev/advisor/rules/lint"
)

// ErrChanged is the cause of a refused --fix: a file changed on disk after
// the analysis whose rewrite was verified.
var ErrChanged = errors.New("changed since it was analyzed")

// Fix writes changes (each file atomically, through a temporary file and a
// rename) and prints each written file's unified diff to w; with dryRun it
// prints the diffs and writes nothing. It returns the files written (or,
// with dryRun, that would be).
//
// When any file's content differs from the one the rewrite was made from,
// Fix writes nothing and prints nothing, and the error wraps ErrChanged:
// the measurement was of a rewrite of the old file. A file changed between
// that check and its write is still refused, by lint.Write, and its diff
// is not printed.
func Fix(w io.Writer, changes []lint.Change, dryRun bool) ([]string, error) {
	if err := unchanged(changes); err != nil {
		return nil, err
	}
	var written []string
	var errs []error
	for _, ch := range changes {
		name := filepath.ToSlash(rel(ch.File))
		if !dryRun {
			if err := lint.Write([]lint.Change{ch}); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		fmt.Fprint(w, lint.UnifiedDiff("a/"+name, "b/"+name, ch.Old, ch.New))
		written = append(written, ch.File)
	}
	return written, errors.Join(errs...)
}

// unchanged checks that every file of changes still holds the content the
// changes were made from.
func unchanged(changes []lint.Change) error {
	var errs []error
	for _, ch := range changes {
		cur, err := os.ReadFile(ch.File)
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", rel(ch.File), err))
			continue
		}
		if !bytes.Equal(cur, ch.Old) {
			errs = append(errs, fmt.Errorf("%s %w", rel(ch.File), ErrChanged))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("nothing written (run advisor --fix again): %w", err)
	}
	return nil
}

// writePGO copies the CPU profile to default.pgo in pkgDir (or, with
// dryRun, says it would), never replacing an existing file. It returns the
// file's path.
func writePGO(w io.Writer, cpuProfile, pkgDir string, dryRun bool) (string, error) {
	dst := filepath.Join(pkgDir, "default.pgo")
	if dryRun {
		fmt.Fprintf(w, "would copy the CPU profile to %s\n", rel(dst))
		return dst, nil
	}
	b, err := os.ReadFile(cpuProfile)
	if err != nil {
		return "", fmt.Errorf("default.pgo: %w", err)
	}
	tmp, err := os.CreateTemp(pkgDir, ".default.pgo-*")
	if err != nil {
		return "", fmt.Errorf("default.pgo: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(b)
	if err := cmp.Or(werr, tmp.Close()); err != nil {
		return "", fmt.Errorf("default.pgo: %w", err)
	}
	// A hard link appears atomically and fails if the name exists.
	if err := os.Link(tmp.Name(), dst); err != nil {
		return "", fmt.Errorf("default.pgo: %w", err)
	}
	fmt.Fprintf(w, "wrote %s (commit it: go build uses it)\n", rel(dst))
	return dst, nil
}

// rel returns path relative to the current directory when it is below it,
// else path.
func rel(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	r, err := filepath.Rel(wd, path)
	if err != nil || strings.HasPrefix(r, "..") {
		return path
	}
	return r
}
