package lint

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Change is the new content of one file after applying fixes.
type Change struct {
	File     string // absolute path
	Old, New []byte
	Applied  int // fixes applied to this file
}

// Changes computes the effect of fixes on each file, without writing
// anything. A fix whose edits overlap an edit of an earlier fix is skipped
// (counted in skipped), as is every fix of a file whose content changed
// since it was analyzed (reported in err after the other changes are
// computed). The results are gofmt'd and sorted by file name.
func Changes(fixes []Fix) (changes []Change, skipped int, err error) {
	type span struct{ start, end int }
	accepted := make(map[string][]Edit)
	taken := make(map[string][]span)
	applied := make(map[string]int) // fixes accepted per file
	var order []string
	for _, fx := range fixes {
		ok := true
		for _, e := range fx.Edits {
			for _, s := range taken[e.File] {
				// Overlap, or two insertions at the same offset (order unknown).
				if e.Start < s.end && s.start < e.End || e.Start == s.start && e.End == s.end {
					ok = false
				}
			}
		}
		if !ok {
			skipped++
			continue
		}
		counted := make(map[string]bool)
		for _, e := range fx.Edits {
			if _, seen := accepted[e.File]; !seen {
				order = append(order, e.File)
			}
			if !counted[e.File] {
				counted[e.File] = true
				applied[e.File]++
			}
			accepted[e.File] = append(accepted[e.File], e)
			taken[e.File] = append(taken[e.File], span{e.Start, e.End})
		}
	}
	slices.Sort(order)
	var errs []string
	for _, file := range order {
		edits := accepted[file]
		old, rerr := os.ReadFile(file) //advisor:ignore sequentialio fixes touch a few files; errors stay in file order
		if rerr != nil {
			errs = append(errs, fmt.Sprintf("read %s: %v", file, rerr))
			continue
		}
		if sha256.Sum256(old) != edits[0].Hash {
			errs = append(errs, fmt.Sprintf("%s changed since it was analyzed; not fixing it (run advisor lint again)", file))
			continue
		}
		n, perr := apply(old, edits)
		if perr != nil {
			errs = append(errs, fmt.Sprintf("fix %s: %v", file, perr))
			continue
		}
		if formatted, ferr := format.Source(n); ferr == nil {
			n = formatted
		} else {
			errs = append(errs, fmt.Sprintf("fix %s: fixed file does not parse, not fixing it: %v", file, ferr))
			continue
		}
		changes = append(changes, Change{File: file, Old: old, New: n, Applied: applied[file]})
	}
	if len(errs) > 0 {
		err = fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return changes, skipped, err
}

// apply applies non-overlapping edits to src.
func apply(src []byte, edits []Edit) ([]byte, error) {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b Edit) int { return cmp.Compare(a.Start, b.Start) })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) out of range or overlapping", e.Start, e.End)
		}
		out.Write(src[last:e.Start])
		out.Write(e.New)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// Write writes each change atomically: to a temporary file in the same
// directory, renamed over the original, keeping its permissions. A file
// whose content is no longer Change.Old is left alone and reported.
func Write(changes []Change) error {
	var errs []string
	for _, c := range changes {
		if err := writeOne(c); err != nil { //advisor:ignore sequentialio a few files; errors stay in file order
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func writeOne(c Change) error {
	// A symlinked source file is fixed where it lives: renaming over the
	// link would replace it by a regular file.
	if real, err := filepath.EvalSymlinks(c.File); err == nil {
		c.File = real
	}
	cur, err := os.ReadFile(c.File)
	if err != nil {
		return fmt.Errorf("read %s: %w", c.File, err)
	}
	if !bytes.Equal(cur, c.Old) {
		return fmt.Errorf("%s changed since it was analyzed; not fixing it (run advisor lint again)", c.File)
	}
	fi, err := os.Stat(c.File)
	if err != nil {
		return fmt.Errorf("stat %s: %w", c.File, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.File), "."+filepath.Base(c.File)+".advisor-*")
	if err != nil {
		return fmt.Errorf("fix %s: %w", c.File, err)
	}
	_, werr := tmp.Write(c.New)
	cerr := tmp.Close()
	if err := cmp.Or(werr, cerr, os.Chmod(tmp.Name(), fi.Mode().Perm())); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("fix %s: %w", c.File, err)
	}
	if err := os.Rename(tmp.Name(), c.File); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("fix %s: %w", c.File, err)
	}
	return nil
}
