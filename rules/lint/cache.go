package lint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/types"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
	"golang.org/x/tools/go/packages"
)

// The result cache holds, per package, what the rules found there, keyed
// like the go command keys a vet action: the package's identity and
// files (names and content hashes), the export data of every package it
// depends on (content-addressed in the build cache, so a dependency whose
// API or inlinable bodies change re-runs its dependents), the language
// version and sizes, advisor's own executable (its content hash, as the go
// command uses a vet tool's build ID), and the rules run. A package that
// does not load or type-check is never cached. An entry that does not
// decode is ignored and overwritten: the cache is only ever an
// optimization.

// cacheVersion changes when the entry format or the key's composition
// does.
const cacheVersion = "advisor lint cache v1"

// unit is what one package contributes to a Result: the cached part of
// an analysis.
type unit struct {
	Findings        []report.Finding `json:"findings,omitempty"`
	Hidden          []string         `json:"hidden,omitempty"`
	Fixes           []Fix            `json:"fixes,omitempty"`
	Errors          []string         `json:"errors,omitempty"` // rule failures (not load errors: those are never cached)
	Loops           []Loop           `json:"loops,omitempty"`
	DirectiveErrors []Problem        `json:"directive_errors,omitempty"`
	DroppedFixes    []string         `json:"dropped_fixes,omitempty"`
	// Checked lists the files whose fixes were type-checked in this
	// package, for Result.Check.
	Checked []string `json:"checked,omitempty"`
}

// resultCache is a directory of entries, one file per key.
type resultCache struct {
	dir string
}

// entryPath is the file of key: two hex digits of fan-out, like GOCACHE.
func (c *resultCache) entryPath(key [32]byte) string {
	h := hex.EncodeToString(key[:])
	return filepath.Join(c.dir, h[:2], h+"-lint")
}

// get returns the entry of key; ok is false when there is none or it does
// not decode (a partial write, a disk error, a change of format).
func (c *resultCache) get(key [32]byte) (u *unit, ok bool) {
	name := c.entryPath(key)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	// The entry starts with its key, so a file renamed or truncated into
	// the wrong place is never taken for another package's result.
	head := []byte(hex.EncodeToString(key[:]) + "\n")
	if !bytes.HasPrefix(data, head) {
		return nil, false
	}
	u = new(unit)
	dec := json.NewDecoder(bytes.NewReader(data[len(head):]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(u); err != nil || dec.More() {
		return nil, false
	}
	if len(u.Hidden) != len(u.Findings) {
		return nil, false
	}
	for _, f := range u.Fixes {
		if f.Finding < 0 || f.Finding >= len(u.Findings) {
			return nil, false
		}
	}
	// Mark the entry used, at most once an hour (as the go command does),
	// so that trim keeps it.
	if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > time.Hour {
		now := time.Now()
		_ = os.Chtimes(name, now, now)
	}
	return u, true
}

// put stores u under key atomically (a temporary file renamed into
// place), so that concurrent runs never read a partial entry. Errors are
// ignored: a result that cannot be cached is recomputed next time.
func (c *resultCache) put(key [32]byte, u *unit) {
	data, err := json.Marshal(u)
	if err != nil {
		return
	}
	name := c.entryPath(key)
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.WriteString(hex.EncodeToString(key[:]) + "\n")
	_, werr2 := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || werr2 != nil || cerr != nil || os.Rename(tmp.Name(), name) != nil {
		os.Remove(tmp.Name())
	}
}

// Trimming: entries unused for trimAge are removed, checked at most once
// per trimInterval (recorded in the file trim.txt), like GOCACHE.
const (
	trimAge      = 5 * 24 * time.Hour
	trimInterval = 24 * time.Hour
)

// trim removes old entries when the last trim is older than trimInterval.
func (c *resultCache) trim(now time.Time) {
	stamp := filepath.Join(c.dir, "trim.txt")
	if fi, err := os.Stat(stamp); err == nil && now.Sub(fi.ModTime()) < trimInterval {
		return
	}
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		return
	}
	if err := os.WriteFile(stamp, []byte(now.Format(time.RFC3339)+"\n"), 0o666); err != nil {
		return
	}
	_ = filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "-lint") && !strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		if fi, err := d.Info(); err == nil && now.Sub(fi.ModTime()) > trimAge {
			os.Remove(path)
		}
		return nil
	})
}

// executableID is the content hash of the running executable: the rules
// are code, so a rebuilt advisor (or test binary) re-runs everything.
func executableID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("locate the executable for the lint cache: %w", err)
	}
	return fileID(exe)
}

// fileID is the SHA-256 of a file's content, in hex.
func fileID(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", fmt.Errorf("hash %s: %w", name, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// contentAddressed reports whether base is the name of a file in the go
// command's build cache, which is the hash of its content ("<64 hex>-d").
func contentAddressed(base string) bool {
	if len(base) != 66 || !strings.HasSuffix(base, "-d") {
		return false
	}
	_, err := hex.DecodeString(base[:64])
	return err == nil && strings.ToLower(base) == base
}

// exportIDs gives each export data file an identity for cache keys: its
// name when the build cache names it by its content, else a hash of its
// content (computed once per run).
type exportIDs struct {
	mu sync.Mutex
	m  map[string]string
}

func (e *exportIDs) id(file string) string {
	if file == "" {
		return "none"
	}
	if base := filepath.Base(file); contentAddressed(base) {
		return base
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if id, ok := e.m[file]; ok {
		return id
	}
	id, err := fileID(file)
	if err != nil {
		id = "unreadable " + err.Error()
	}
	e.m[file] = id
	return id
}

// runKey is the part of every key that is the same for all packages of a
// run: advisor's executable and the rules.
func runKey(toolID string, cfg Config, root string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\ntool %s\nroot %q\ntests %v tags %q\n", cacheVersion, toolID, root, cfg.Tests, cfg.Tags)
	for _, r := range cfg.Rules {
		fmt.Fprintf(&b, "rule %q %q\n", r.Analyzer.Name, r.Category)
	}
	return b.Bytes()
}

// packageKey is the cache key of the listed package lp with the given
// sources; ok is false when a file could not be read (never cached).
func packageKey(run []byte, lp *packages.Package, src source, ids *exportIDs) (key [32]byte, ok bool) {
	h := sha256.New()
	h.Write(run)
	fmt.Fprintf(h, "id %q path %q name %q go %q\n", lp.ID, lp.PkgPath, lp.Name, goVersion(lp))
	if lp.Module != nil {
		fmt.Fprintf(h, "module %q %q\n", lp.Module.Path, lp.Module.Version)
	}
	if s := lp.TypesSizes; s != nil {
		fmt.Fprintf(h, "sizes %d %d %d\n", s.Sizeof(types.Typ[types.Uintptr]), s.Alignof(types.Typ[types.Int64]), s.Sizeof(types.Typ[types.Int]))
	}
	for i, name := range src.names {
		if src.errs[i] != nil {
			return key, false
		}
		fmt.Fprintf(h, "file %q %x\n", name, sha256.Sum256(src.contents[i]))
	}
	fmt.Fprintf(h, "gofiles %q other %q ignored %q\n", lp.GoFiles, lp.OtherFiles, lp.IgnoredFiles)
	// Direct imports as written, then every dependency's export data.
	paths := make([]string, 0, len(lp.Imports))
	for p := range lp.Imports {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		fmt.Fprintf(h, "import %q %q\n", p, lp.Imports[p].ID)
	}
	var deps []*packages.Package
	seen := make(map[*packages.Package]bool)
	var visit func(*packages.Package)
	visit = func(q *packages.Package) {
		for _, d := range q.Imports {
			if !seen[d] {
				seen[d] = true
				deps = append(deps, d)
				visit(d)
			}
		}
	}
	visit(lp)
	slices.SortFunc(deps, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	for _, d := range deps {
		fmt.Fprintf(h, "dep %q %s\n", d.ID, ids.id(d.ExportFile))
	}
	copy(key[:], h.Sum(nil))
	return key, true
}
