// Package abtest builds variants of a package (a rewrite in a build
// overlay, a -pgo build), gates them on go vet and the package's tests, and
// measures them against each other in interleaved rounds. Nothing here
// knows about rules or verdicts: it runs the go command and the binaries
// and returns what happened.
package abtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/advisor-dev/advisor/profile"
)

// Variant is one build of a package for verifying a rewrite: the package
// as the user wrote it, with Overlay's files replacing theirs in the build
// only (go build -overlay), never on disk.
type Variant struct {
	// Dir is the directory in which Package is resolved.
	Dir string
	// Package is the package pattern, e.g. "./cmd/app".
	Package string
	// Overlay maps absolute file paths to their replacement content.
	Overlay map[string][]byte
	// PGO, if set, is a CPU profile for -pgo.
	PGO string
	// Tags and LDFlags are passed to the go command as -tags and -ldflags.
	Tags, LDFlags string
	// WorkDir receives the overlay files and the binary. It must exist.
	WorkDir string
}

// flags returns the go command's build flags for v, writing the overlay
// files into v.WorkDir.
func (v *Variant) flags() ([]string, error) {
	var flags []string
	if v.Tags != "" {
		flags = append(flags, "-tags", v.Tags)
	}
	if v.LDFlags != "" {
		flags = append(flags, "-ldflags", v.LDFlags)
	}
	if v.PGO != "" {
		flags = append(flags, "-pgo", v.PGO)
	}
	overlay, err := v.overlayFlags()
	return append(flags, overlay...), err
}

// overlayFlags writes v.Overlay's files into v.WorkDir and returns the
// -overlay flag for them (none without an overlay).
func (v *Variant) overlayFlags() ([]string, error) {
	if len(v.Overlay) == 0 {
		return nil, nil
	}
	dir, err := os.MkdirTemp(v.WorkDir, "overlay-")
	if err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	replace := map[string]string{}
	i := 0
	for path, content := range v.Overlay {
		i++
		f := filepath.Join(dir, strconv.Itoa(i)+"-"+filepath.Base(path))
		if err := os.WriteFile(f, content, 0o644); err != nil {
			return nil, fmt.Errorf("overlay: %w", err)
		}
		replace[path] = f
	}
	b, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	js := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(js, b, 0o644); err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	return []string{"-overlay", js}, nil
}

// goCmd runs the go command in v.Dir and returns its combined output.
func (v *Variant) goCmd(ctx context.Context, verb string, extra []string) (string, error) {
	flags, err := v.flags()
	if err != nil {
		return "", err
	}
	args := append(append([]string{verb}, flags...), extra...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = v.Dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// BuildVariant builds v's executable into v.WorkDir and returns its path. A
// compile error is a *profile.UserError carrying the compiler's output.
func BuildVariant(ctx context.Context, v Variant, name string) (string, error) {
	bin := filepath.Join(v.WorkDir, name)
	out, err := v.goCmd(ctx, "build", []string{"-o", bin, v.Package})
	if err != nil {
		return "", goFailure("build failed: "+profile.SummarizeOutput(out), out, err)
	}
	return bin, nil
}

// BuildTest builds the test binary of v's package (go test -c) into
// v.WorkDir and returns its path. A compile error is a *profile.UserError.
func BuildTest(ctx context.Context, v Variant, name string) (string, error) {
	bin := filepath.Join(v.WorkDir, name+".test")
	out, err := v.goCmd(ctx, "test", []string{"-c", "-o", bin, v.Package})
	if err != nil {
		return "", goFailure("building the tests failed: "+profile.SummarizeOutput(out), out, err)
	}
	if _, err := os.Stat(bin); err != nil {
		return "", goFailure(v.Package+" has no test files, so no benchmarks", out, err)
	}
	return bin, nil
}

// goFailure is a failure of the user's code (it does not build, vet or
// pass its tests), in profile's error type so that the command line
// prints it like every other such failure.
func goFailure(msg, output string, err error) *profile.UserError {
	return &profile.UserError{Msg: msg, Output: output, Err: err}
}
