package profile

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// HookFile is the base name of the file advisor adds to the target's main
// package. It sorts before ordinary file names so that its package-level
// initializer runs before the package's own variables and init functions.
const HookFile = "0000_advisor_hook.go"

// benchHookFile is the hook's name when it is added to a package's tests
// for Bench: as an internal test file it is compiled into the test binary only.
const benchHookFile = "0000_advisor_hook_test.go"

// HookFuncPrefix starts the name of every function and type in the hook, so
// attribution can drop the hook's frames and goroutines. Qualified as pprof
// and the execution tracer print it, it is "main.advisorHook" for a main
// package (see Result.HookPrefix).
const HookFuncPrefix = "advisorHook"

//go:embed hook.go.txt
var hookSource string

// hookVariant returns the hook source for a package named pkgName; without
// exitHook the go:linkname to the runtime's exit hooks is cut out (the
// fallback when linking fails).
func hookVariant(pkgName string, exitHook bool) string {
	src := strings.Replace(hookSource, "\npackage main\n", "\npackage "+pkgName+"\n", 1)
	// Targets run on this machine, so its OS picks the CPU-rate code.
	if runtime.GOOS == "linux" {
		src = cutHookBlock(src, "other")
	} else {
		src = cutHookBlock(src, "linux")
	}
	if exitHook {
		return src
	}
	return cutHookBlock(src, "exithook")
}

// cutHookBlock removes every "// advisor:name begin" ... "// advisor:name
// end" block from the hook source.
func cutHookBlock(src, name string) string {
	begin, end := "// advisor:"+name+" begin", "// advisor:"+name+" end"
	var b strings.Builder
	rest := src
	for {
		i := strings.Index(rest, begin)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		j := strings.Index(rest[i:], end)
		if j < 0 {
			panic("profile: unterminated " + name + " block in hook.go.txt") // a bug in the embedded file
		}
		b.WriteString(rest[:i])
		rest = rest[i+j+len(end):]
		if strings.HasPrefix(rest, "\n") && (rest == "\n" || strings.HasSuffix(b.String(), "\n\n")) {
			rest = rest[1:] // no blank line left where the block was
		}
	}
}

// Target is a main package built with the hook, ready to run any number of
// times (each run gets its own output directory through the environment).
type Target struct {
	// Binary is the path of the built executable (inside a temporary directory).
	Binary string
	// Package is the package as the user typed it.
	Package string
	// ImportPath, PackageDir, ModulePath and ModuleDir locate the target's
	// own code for attribution.
	ImportPath, PackageDir, ModulePath, ModuleDir string
	// ExitHook reports whether the hook could register with the runtime's
	// exit hooks; without it the profiles of a normal exit are incomplete.
	ExitHook bool
	// HookFile is the base name of the injected file and HookPrefix the
	// qualified prefix of its function names.
	HookFile, HookPrefix string
	// Warnings are non-fatal problems found while building.
	Warnings []string

	tmp     string
	pkgName string
}

// Close removes the built binary and its temporary directory.
func (t *Target) Close() error {
	if t.tmp == "" {
		return nil
	}
	if err := os.RemoveAll(t.tmp); err != nil {
		return fmt.Errorf("removing build directory: %w", err)
	}
	return nil
}

// listedPackage is the part of `go list -json` output Build needs.
type listedPackage struct {
	Dir                                string
	ImportPath                         string
	Name                               string
	GoFiles, TestGoFiles, XTestGoFiles []string
	Module                             *struct{ Path, Dir string }
	Error                              *struct{ Err string }
}

// resolve runs go list on the package to find its directory, name and
// module. A main package is required unless test is set, which requires
// test files instead.
func resolve(ctx context.Context, o *Options, flags []string, test bool) (*listedPackage, error) {
	args := append([]string{"list", "-e", "-json=Dir,ImportPath,Name,GoFiles,TestGoFiles,XTestGoFiles,Module,Error"}, flags...)
	args = append(args, o.Package)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = o.Dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, userError(fmt.Sprintf("cannot load %s: %s", o.Package, summarizeOutput(stderr.String())), stderr.String(), err)
		}
		return nil, fmt.Errorf("running go list: %w", err)
	}
	var p listedPackage
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			// go list only warned: a pattern that matched nothing.
			return nil, userError(fmt.Sprintf("%s matches no packages", o.Package), "", nil)
		}
		return nil, fmt.Errorf("decoding go list output for %s: %w", o.Package, err)
	}
	if dec.More() {
		// A pattern such as ./cmd/... matched several packages.
		return nil, userError(fmt.Sprintf("%s matches more than one package; advisor profiles one at a time", o.Package), "", nil)
	}
	if p.Error != nil {
		msg := p.Error.Err
		if strings.Contains(msg, "directory not found") || strings.Contains(msg, "no such file") {
			return nil, userError(fmt.Sprintf("no such package %s (%s)", o.Package, msg), "", nil)
		}
		return nil, userError(fmt.Sprintf("cannot load %s: %s", o.Package, firstLine(msg)), msg, nil)
	}
	if test {
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			return nil, userError(fmt.Sprintf("%s has no test files, so no benchmarks", o.Package), "", nil)
		}
		return &p, nil
	}
	if p.Name != "main" {
		return nil, userError(fmt.Sprintf("%s is not a main package (use --bench to profile a library's benchmarks)", o.Package), "", nil)
	}
	return &p, nil
}

// buildFlags checks the user's extra build flags and returns them together
// with the tags; -ldflags is added by Build because the hook needs to
// extend it. An -overlay among BuildFlags is returned separately for merging.
func buildFlags(o *Options) (flags []string, overlay string, err error) {
	if o.Tags != "" {
		flags = append(flags, "-tags="+o.Tags)
	}
	for i := 0; i < len(o.BuildFlags); i++ {
		f := o.BuildFlags[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(f, "-"), "=")
		switch name {
		case "o", "ldflags", "tags", "overlay":
			if !hasVal {
				if i+1 >= len(o.BuildFlags) {
					return nil, "", userError(fmt.Sprintf("build flag %s needs a value", f), "", nil)
				}
				i++
				val = o.BuildFlags[i]
			}
			switch name {
			case "overlay":
				overlay = val
				continue
			case "o":
				return nil, "", userError("build flag -o is not allowed: advisor builds into a temporary directory", "", nil)
			default:
				return nil, "", userError(fmt.Sprintf("pass -%s through its own option (--%s), not as a raw build flag", name, name), "", nil)
			}
		}
		flags = append(flags, f)
	}
	return flags, overlay, nil
}

// Build resolves o.Package relative to o.Dir and builds it with the hook
// added through an overlay. It uses the build fields of o (Dir, Package,
// Tags, LDFlags, BuildFlags, Progress); the user's tree is never written.
// The caller must Close the Target.
func Build(ctx context.Context, o Options) (*Target, error) {
	return build(ctx, &o, true, false)
}

// build is Build with the choice of hook variant (tryExitHook=false forces
// the fallback, for tests) and of a main package (test=false) or the
// package's test binary (test=true, for Bench).
func build(ctx context.Context, o *Options, tryExitHook, test bool) (*Target, error) {
	if runtime.GOOS == "windows" {
		return nil, userError("running a target under the profiler is not supported on windows (use --from or import profile files)", "", nil)
	}
	if o.Package == "" || strings.HasPrefix(o.Package, "-") {
		return nil, userError(fmt.Sprintf("invalid package %q", o.Package), "", nil)
	}
	flags, userOverlay, err := buildFlags(o)
	if err != nil {
		return nil, err
	}
	progress(o, "loading "+o.Package)
	listFlags := flags
	if userOverlay != "" {
		listFlags = append(listFlags[:len(listFlags):len(listFlags)], "-overlay="+userOverlay)
	}
	p, err := resolve(ctx, o, listFlags, test)
	if err != nil {
		return nil, err
	}
	hookFile := HookFile
	if test {
		hookFile = benchHookFile
	}
	if _, err := os.Stat(filepath.Join(p.Dir, hookFile)); err == nil {
		return nil, userError(fmt.Sprintf("%s already has a file named %s; rename it to profile this package", o.Package, hookFile), "", nil)
	}
	tmp, err := os.MkdirTemp("", "advisor-build-")
	if err != nil {
		return nil, fmt.Errorf("creating build directory: %w", err)
	}
	t := &Target{
		Binary:     filepath.Join(tmp, "target"),
		Package:    o.Package,
		ImportPath: p.ImportPath,
		PackageDir: p.Dir,
		tmp:        tmp,
		pkgName:    p.Name,
		HookFile:   hookFile,
		HookPrefix: p.ImportPath + "." + HookFuncPrefix,
	}
	if p.Name == "main" {
		t.HookPrefix = "main." + HookFuncPrefix
	}
	if p.Module != nil {
		t.ModulePath, t.ModuleDir = p.Module.Path, p.Module.Dir
	}
	progress(o, "building "+o.Package)
	out, err := buildWithHook(ctx, o, t, flags, userOverlay, tryExitHook)
	if err == nil {
		t.ExitHook = tryExitHook
		return t, nil
	}
	if tryExitHook && ctx.Err() == nil && hookLinkFailure(out) {
		// The linkname into the runtime is not guaranteed to keep working
		// across Go versions; fall back to a hook that flushes only on stop.
		if _, err2 := buildWithHook(ctx, o, t, flags, userOverlay, false); err2 == nil {
			t.Warnings = append(t.Warnings, "could not register the profiler's exit hook ("+summarizeOutput(out)+"); profiles of a normal exit will be incomplete")
			return t, nil
		}
	}
	t.Close()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return nil, userError(fmt.Sprintf("%s does not compile: %s", o.Package, summarizeOutput(out)), out, err)
	}
	return nil, err
}

// hookLinkFailure reports whether build output blames the hook's linkname
// rather than the user's code.
func hookLinkFailure(out string) bool {
	return strings.Contains(out, "exithook") || strings.Contains(out, "linkname") ||
		strings.Contains(out, HookFile) || strings.Contains(out, benchHookFile)
}

// buildWithHook writes the hook and overlay into t.tmp and runs go build.
// It returns the go command's combined output.
func buildWithHook(ctx context.Context, o *Options, t *Target, flags []string, userOverlay string, exitHook bool) (string, error) {
	hookPath := filepath.Join(t.tmp, t.HookFile)
	if err := os.WriteFile(hookPath, []byte(hookVariant(t.pkgName, exitHook)), 0o666); err != nil {
		return "", fmt.Errorf("writing hook: %w", err)
	}
	overlay := struct{ Replace map[string]string }{Replace: map[string]string{}}
	if userOverlay != "" {
		path := userOverlay
		if !filepath.IsAbs(path) {
			path = filepath.Join(o.Dir, path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return "", userError(fmt.Sprintf("reading overlay: %v", err), "", err)
		}
		if err := json.Unmarshal(data, &overlay); err != nil {
			return "", userError(fmt.Sprintf("overlay %s is not valid JSON: %v", userOverlay, err), "", err)
		}
		if overlay.Replace == nil {
			overlay.Replace = map[string]string{}
		}
	}
	overlay.Replace[filepath.Join(t.PackageDir, t.HookFile)] = hookPath
	data, err := json.Marshal(overlay)
	if err != nil {
		return "", fmt.Errorf("encoding overlay: %w", err)
	}
	overlayPath := filepath.Join(t.tmp, "overlay.json")
	if err := os.WriteFile(overlayPath, data, 0o666); err != nil {
		return "", fmt.Errorf("writing overlay: %w", err)
	}
	ldflags := strings.TrimSpace(o.LDFlags)
	if exitHook {
		ldflags = strings.TrimSpace(ldflags + " -checklinkname=0")
	}
	args := []string{"build", "-o", t.Binary, "-overlay", overlayPath}
	if t.HookFile == benchHookFile {
		args = []string{"test", "-c", "-o", t.Binary, "-overlay", overlayPath}
	}
	if ldflags != "" {
		args = append(args, "-ldflags="+ldflags)
	}
	args = append(args, flags...)
	if t.ImportPath == "command-line-arguments" {
		// A package given as a .go file: the overlay adds the hook to the
		// directory, but only files named on the command line are built.
		// Naming it first keeps its initializer first.
		args = append(args, filepath.Join(filepath.Dir(o.Package), t.HookFile))
	}
	args = append(args, o.Package)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = o.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

// firstLine returns s up to its first newline.
func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

func progress(o *Options, msg string) {
	if o.Progress != nil {
		o.Progress(msg)
	}
}
