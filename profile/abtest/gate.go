package abtest

import (
	"context"
	"os/exec"
	"strings"

	"github.com/advisor-dev/advisor/profile"
)

// Vet runs go vet on v's packages (v.Package and pkgs).
func Vet(ctx context.Context, v Variant, pkgs ...string) error {
	v.LDFlags, v.PGO = "", "" // they do not change what vet sees
	out, err := v.goCmd(ctx, "vet", append([]string{v.Package}, pkgs...))
	if err != nil {
		return goFailure("go vet: "+profile.SummarizeOutput(out), out, err)
	}
	return nil
}

// Test runs the tests of v's packages (v.Package and pkgs), with the race
// detector if race. ran is false when none of them has tests.
func Test(ctx context.Context, v Variant, race bool, pkgs ...string) (ran bool, err error) {
	args := []string{"-count=1"}
	if race {
		args = append(args, "-race")
	}
	args = append(append(args, v.Package), pkgs...)
	out, err := v.goCmd(ctx, "test", args)
	if err != nil {
		return true, goFailure("tests fail: "+profile.TestFailure(out), out, err)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ok ") || strings.HasPrefix(l, "ok\t") {
			return true, nil
		}
	}
	return false, nil
}

// RaceSupported reports whether the go command can build with -race here
// (it needs cgo and a C compiler).
func RaceSupported(ctx context.Context) bool {
	cmd := exec.CommandContext(ctx, "go", "env", "CGO_ENABLED")
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		return false
	}
	cc := exec.CommandContext(ctx, "go", "env", "CC")
	name, err := cc.Output()
	if err != nil {
		return false
	}
	_, err = exec.LookPath(strings.Fields(string(name) + " gcc")[0])
	return err == nil
}
