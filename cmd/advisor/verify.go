package main

import (
	"context"
	"fmt"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/measure"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/verify"
	advprofile "github.com/advisor-dev/advisor/profile"
	"github.com/advisor-dev/advisor/profile/abtest"
)

// Verification defaults (flags --verify-budget and --verify-runs).
const (
	defaultVerifyBudget = verify.DefaultBudget
	defaultVerifyRuns   = verify.DefaultRuns
)

// verifyRun is verify.Run; tests replace it to check how its outcomes
// become exit codes without measuring anything.
var verifyRun = verify.Run

// verifyAndFix verifies the concrete rewrites of rep's recommendations
// (and a PGO build), recording the measurements in rep; with --fix it then
// writes the verified winners. Problems are added to rep.Errors; the error
// says --fix could not write (see verify.Run).
func verifyAndFix(ctx context.Context, e *env, sess *measure.Session, pkg string, args []string, f *profileFlags, progress func(string)) (verify.Result, error) {
	rep, res, lr := sess.Report, sess.Result, sess.Lint
	if pkg == "" || f.from != "" || f.cpuFile != "" || f.traceFile != "" {
		rep.Errors = append(rep.Errors, "verify: only a package run by advisor can be verified (not --from or --profile)")
		return verify.Result{}, nil
	}
	if f.verifyRuns < benchstat.VerifyMinRuns || f.verifyBudget <= 0 {
		rep.Errors = append(rep.Errors, fmt.Sprintf("verify: not run: --verify-runs must be at least %d (have %d) and --verify-budget positive (have %s)", benchstat.VerifyMinRuns, f.verifyRuns, f.verifyBudget))
		return verify.Result{}, nil
	}
	var own []string
	if lr == nil {
		// The rules did not run with the analysis, so verification runs
		// them itself and needs their packages (measure.Run already listed
		// them otherwise).
		var err error
		if own, err = advprofile.OwnPackages(ctx, "", pkg, f.tags); err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("verify: %v", err))
			return verify.Result{Interrupted: ctx.Err() != nil}, nil
		}
	}
	diff := e.stdout
	if f.format != "text" || f.output != "" {
		diff = e.stderr
	}
	wantExit := 0
	if rep.Target != nil && rep.Target.ExitCode != nil && f.bench == "" {
		wantExit = *rep.Target.ExitCode // a program that exits non-zero by design is measured as it is
	}
	return verifyRun(ctx, rep, verify.Options{
		WantExit:  wantExit,
		ModuleDir: res.ModuleDir, Package: pkg, PackageDir: res.PackageDir, OwnPackages: own, Lint: lr, Args: args, CPUProfile: res.CPUProfile,
		Tags: f.tags, LDFlags: f.ldflags, Bench: f.bench, Benchtime: f.benchtime, Budget: f.verifyBudget, Runs: f.verifyRuns,
		Fix: f.fix || f.dryRun, DryRun: f.dryRun, Race: abtest.RaceSupported(ctx),
		Progress: progress, Diff: diff, Describe: render.VerifiedText,
	})
}
