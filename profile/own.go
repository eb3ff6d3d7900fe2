package profile

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// OwnPackages lists pkg and the packages of the main module it depends on,
// as the go command resolves them in dir ("" is the current directory) with
// the build tags tags (comma-separated, as for -tags): the code the rules
// analyze and attribution calls the target's own.
func OwnPackages(ctx context.Context, dir, pkg, tags string) ([]string, error) {
	args := []string{"list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.ImportPath}}{{end}}{{end}}"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v: %s", pkg, err, firstLine(stderr.String()))
	}
	var pkgs []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			pkgs = append(pkgs, l)
		}
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s is not in the main module", pkg)
	}
	return pkgs, nil
}

// ModuleRoot returns the root directory of the module containing dir, or
// "" when dir is in no module.
func ModuleRoot(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return ""
	}
	return filepath.Dir(mod)
}
