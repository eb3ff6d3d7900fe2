package abtest

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// Worktree checks out rev of the git repository that contains dir into a
// new detached worktree at dst (which must not exist), leaving the user's
// checkout untouched. It returns the directory in the worktree that
// corresponds to dir, and a cleanup function that removes the worktree.
func Worktree(ctx context.Context, dir, rev, dst string) (subdir string, cleanup func() error, err error) {
	git := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return strings.TrimSpace(string(out)), nil
	}
	prefix, err := git("rev-parse", "--show-prefix")
	if err != nil {
		return "", nil, userError(fmt.Sprintf("%s is not in a git checkout (use --base-dir and --head-dir to compare two trees)", dir), "", err)
	}
	sha, err := git("rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", nil, userError(fmt.Sprintf("unknown git revision %q (fetch it first, e.g. git fetch origin main)", rev), "", err)
	}
	if _, err := git("worktree", "add", "--detach", dst, sha); err != nil {
		return "", nil, userError(fmt.Sprintf("creating a worktree of %s: %v", rev, err), "", err)
	}
	cleanup = func() error {
		if _, err := git("worktree", "remove", "--force", dst); err != nil {
			return err
		}
		_, err := git("worktree", "prune")
		return err
	}
	return filepath.Join(dst, filepath.FromSlash(prefix)), cleanup, nil
}
