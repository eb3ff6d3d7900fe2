// Package lintcmd is the work of advisor lint between running the rules and
// the exit code: which findings to show (ranked by a CPU profile, or with
// the rarely-hot ones hidden), --diff, --fix, --explain and the output
// formats.
package lintcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/advisor-dev/advisor/analyze/advise"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
	"github.com/google/pprof/profile"
)

// ShowOptions are the flags that decide which findings are shown.
type ShowOptions struct {
	All      bool    // --all
	MinShare float64 // --min-share, in percent
	Profile  string  // --profile: a file, "off", or "" for the default.pgo files
	Dir      string  // --dir (-C)
	Text     bool    // text output: say which profile ranks the findings
	// Bench, when set (--bench), ranks by a CPU profile of the linted
	// packages' benchmarks that match it, run with BenchTime and Tags.
	Bench     string
	BenchTime string
	Tags      []string
}

// Show picks the findings advisor lint shows. With a CPU profile
// (--profile, or the default.pgo files of the main packages linted, which
// PGO users already commit), findings are ranked by their share of its
// samples and those under --min-share are hidden as cold; without one,
// findings in places that are almost never hot (tests, init, String
// methods, error paths, small loops) are hidden. --all shows everything.
func Show(ctx context.Context, stderr io.Writer, res *lint.Result, o ShowOptions) (lint.Shown, error) {
	opts := lint.ShowOptions{All: o.All, MinShare: o.MinShare / 100}
	var ps []*profile.Profile
	var files []string // where each of ps came from, for messages
	var bench *benchRun
	if o.Bench != "" {
		var err error
		if bench, err = runBenchmarks(ctx, stderr, res.TestDirs, o); err != nil {
			return lint.Shown{}, err
		}
		ps, files = bench.profiles, bench.names
	} else {
		var err error
		if files, err = profiles(res, o.Profile, o.Dir); err != nil {
			return lint.Shown{}, err
		}
		for _, f := range files {
			p, err := readProfile(f)
			if err != nil {
				return lint.Shown{}, err
			}
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		share, profiled, sampled, err := rankBy(ps, bench == nil, res.Root, files)
		if err != nil {
			return lint.Shown{}, err
		}
		switch {
		case sampled == 0 && bench != nil:
			return lint.Shown{}, fmt.Errorf("--bench %q: the benchmarks ran too briefly for a CPU sample (raise --benchtime)", o.Bench)
		case sampled == 0:
			return lint.Shown{}, fmt.Errorf("%s: the profile has no samples", files[0])
		case bench != nil && o.Text:
			fmt.Fprintf(stderr, "advisor: ranking by the benchmarks of %d of %d packages (go test -bench %s -benchtime %s)\n", sampled, bench.packages, o.Bench, o.BenchTime)
		case o.Profile == "" && o.Text:
			fmt.Fprintf(stderr, "advisor: ranking by %s (--profile off ignores it)\n", displayList(files, o.Dir))
		}
		opts.Share, opts.Profiled = share, profiled
	}
	return res.Show(opts), nil
}

// rankBy indexes the profiles ps (read from files) and returns a finding's
// share and whether the profiles sampled its package, with the number of
// profiles that hold samples. With merge, the profiles are merged first, as
// the go command merges a program's default.pgo files. Without (benchmark
// profiles, one per package), each counts on its own and a finding's share
// is the largest any gives it: merged, one package's long benchmarks would
// dilute another's shares.
func rankBy(ps []*profile.Profile, merge bool, root string, files []string) (share func(report.Finding) float64, profiled func(report.Finding) bool, sampled int, err error) {
	if len(ps) > 1 && merge {
		p, err := profile.Merge(ps)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("merge %v: %w", files, err)
		}
		ps = []*profile.Profile{p}
	}
	var ixs []*advise.SampleIndex
	for i, p := range ps {
		ix, err := advise.IndexProfile(p, root)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("%s: %w", files[i], err)
		}
		if ix.Total > 0 {
			ixs = append(ixs, ix)
		}
	}
	share = func(f report.Finding) float64 {
		best := 0.0
		for _, ix := range ixs {
			best = max(best, advise.FindingShare(ix, f))
		}
		return best
	}
	profiled = func(f report.Finding) bool {
		for _, ix := range ixs {
			if ix.SampledDir(path.Dir(f.File)) {
				return true
			}
		}
		return false
	}
	return share, profiled, len(ixs), nil
}

// profiles returns the profile files to rank by: --profile's, or the
// default.pgo files of the main packages linted; none for --profile off.
func profiles(res *lint.Result, flag, dir string) ([]string, error) {
	switch flag {
	case "off":
		return nil, nil
	case "":
		var files []string
		for _, d := range res.MainDirs {
			f := filepath.Join(d, "default.pgo")
			if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() { //advisor:ignore sequentialio a few main packages
				files = append(files, f)
			}
		}
		return files, nil
	}
	if !filepath.IsAbs(flag) && dir != "" {
		flag = filepath.Join(dir, flag)
	}
	return []string{flag}, nil
}

func readProfile(file string) (*profile.Profile, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", file, err)
	}
	return p, nil
}

func displayList(files []string, dir string) string {
	wd := WorkDir(dir)
	s := ""
	for i, f := range files {
		if i > 0 {
			s += ", "
		}
		if r, err := filepath.Rel(wd, f); err == nil && filepath.IsLocal(r) {
			f = r
		}
		s += f
	}
	return s
}

// CacheDir is where advisor lint keeps its per-package results:
// $ADVISOR_CACHE/lint when set, none when it is "off", else the user's
// cache directory (os.UserCacheDir) under advisor/lint, beside the go
// command's build cache. "" (no cache) when there is no such directory:
// caching only ever saves time.
func CacheDir(getenv func(string) string) string {
	switch v := getenv("ADVISOR_CACHE"); v {
	case "off":
		return ""
	case "":
		d, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(d, "advisor", "lint")
	default:
		return filepath.Join(v, "lint")
	}
}

// Explain prints the documentation of the named rules, or a list of all
// rules when none is named.
func Explain(w io.Writer, rules []all.Rule, names []string) error {
	if len(names) == 0 {
		return render.RuleList(w, rules)
	}
	for i, n := range names {
		j := slices.IndexFunc(rules, func(r all.Rule) bool { return r.Analyzer.Name == n })
		if j < 0 {
			return fmt.Errorf("unknown rule %q (advisor lint --explain lists the rules)", n)
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := render.RuleDoc(w, rules[j]); err != nil {
			return err
		}
	}
	return nil
}

// Diff prints the fixes as a unified diff with a/ and b/ prefixes (so that
// git apply and patch -p1 take it); notes go to stderr.
func Diff(stdout, stderr io.Writer, res *lint.Result, dir string) error {
	changes, skipped, err := lint.Changes(res.Fixes)
	if err == nil {
		if cerr := res.Check(changes); cerr != nil {
			return cerr
		}
	}
	if werr := render.LintDiff(stdout, changes, res.Root, render.LintOptions{WorkDir: WorkDir(dir)}); werr != nil {
		err = errors.Join(err, werr)
	}
	if skipped > 0 {
		fmt.Fprintf(stderr, "advisor: %d fixes overlap others and are not shown; apply these and run again\n", skipped)
	}
	return err
}

// Fix applies the fixes (all or none, when together they do not
// type-check) and prints the findings that remain; notes go to stderr.
func Fix(stdout, stderr io.Writer, res *lint.Result, dir string) error {
	changes, skipped, err := lint.Changes(res.Fixes)
	if cerr := res.Check(changes); cerr != nil {
		// Fixes that type-check alone but not together: write none of
		// them rather than leave the package broken.
		return cerr
	}
	if werr := lint.Write(changes); werr != nil {
		err = errors.Join(err, werr)
	}
	n := 0
	for _, c := range changes {
		n += c.Applied
	}
	if n > 0 {
		fmt.Fprintf(stderr, "advisor: applied %s in %s\n", plural(n, "fix", "fixes"), plural(len(changes), "file", "files"))
	}
	if skipped > 0 {
		fmt.Fprintf(stderr, "advisor: %d fixes overlap others and were not applied; run advisor lint --fix again\n", skipped)
	}
	rest := *res
	rest.Findings = nil
	fixed := make(map[int]bool)
	for _, f := range res.Fixes {
		fixed[f.Finding] = true
	}
	for i, f := range res.Findings {
		if !fixed[i] {
			rest.Findings = append(rest.Findings, f)
		}
	}
	if werr := render.LintText(stdout, &rest, render.LintOptions{WorkDir: WorkDir(dir)}); werr != nil {
		err = errors.Join(err, werr)
	}
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// WorkDir is the absolute directory lint output names files relative to:
// --dir (-C) resolved against the current directory, as go vet does; ""
// (files as found) when the current directory is unknown.
func WorkDir(dir string) string {
	w, err := os.Getwd()
	switch {
	case err != nil:
		return dir
	case dir == "":
		return w
	case !filepath.IsAbs(dir):
		return filepath.Join(w, dir)
	}
	return dir
}

// Write renders a lint result in the chosen format.
func Write(w io.Writer, res *lint.Result, format string, rules []all.Rule, wd string) error {
	switch format {
	case "json":
		return render.JSON(w, res.Report())
	case "sarif":
		return render.LintSARIF(w, res, rules)
	}
	return render.LintText(w, res, render.LintOptions{WorkDir: wd})
}
