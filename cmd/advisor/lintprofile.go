package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/advisor-dev/advisor/analyze/advise"
	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/rules/lint"
	"github.com/google/pprof/profile"
)

// lintShow picks the findings advisor lint shows. With a CPU profile
// (--profile, or the default.pgo files of the main packages linted, which
// PGO users already commit), findings are ranked by their share of its
// samples and those under --min-share are hidden as cold; without one,
// findings in places that are almost never hot (tests, init, String
// methods, error paths, small loops) are hidden. --all shows everything.
func lintShow(e *env, res *lint.Result, o lintOptions) (lint.Shown, error) {
	opts := lint.ShowOptions{All: o.all, MinShare: o.minShare / 100}
	files, err := lintProfiles(res, o.profile, o.dir)
	if err != nil {
		return lint.Shown{}, err
	}
	if len(files) > 0 {
		var ps []*profile.Profile
		for _, f := range files {
			p, err := readProfile(f)
			if err != nil {
				return lint.Shown{}, err
			}
			ps = append(ps, p)
		}
		p := ps[0]
		if len(ps) > 1 {
			if p, err = profile.Merge(ps); err != nil {
				return lint.Shown{}, fmt.Errorf("merge %v: %w", files, err)
			}
		}
		ix, err := advise.IndexProfile(p, res.Root)
		if err != nil {
			return lint.Shown{}, fmt.Errorf("%s: %w", files[0], err)
		}
		if ix.Total == 0 {
			return lint.Shown{}, fmt.Errorf("%s: the profile has no samples", files[0])
		}
		if o.profile == "" && o.format == "text" {
			fmt.Fprintf(e.stderr, "advisor: ranking by %s (--profile off ignores it)\n", displayList(files, o.dir))
		}
		opts.Share = func(f report.Finding) float64 { return advise.FindingShare(ix, f) }
	}
	return res.Show(opts), nil
}

// lintProfiles returns the profile files to rank by: --profile's, or the
// default.pgo files of the main packages linted; none for --profile off.
func lintProfiles(res *lint.Result, flag, dir string) ([]string, error) {
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
	wd := workDir(dir)
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
