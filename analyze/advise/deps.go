package advise

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/advisor-dev/advisor/analyze"

	"github.com/google/pprof/profile"
)

// DependencyShare is CPU time spent in one dependency module, below the
// target's own code.
type DependencyShare struct {
	Module string  // the module's path, as advisor guesses it from the package
	Share  float64 // of all CPU samples
	// Top are the dependency's hottest functions (innermost frame in the
	// module) with their shares, and Caller the own-code function that
	// reaches them most.
	Top    []FuncShare
	Caller string
}

// FuncShare is a function and its share of the CPU samples.
type FuncShare struct {
	Function string
	Share    float64
}

// HotDependency returns the dependency module holding the most CPU time of
// p, if it holds at least min of it: the code the user may want to look
// into with --own. own says whether a package is the target's own (then
// its time is not a dependency's); the standard library and the runtime
// are never dependencies.
func HotDependency(p *profile.Profile, own func(pkg string) bool, least float64) (DependencyShare, bool) {
	if p == nil {
		return DependencyShare{}, false
	}
	col, err := p.SampleIndexByName("cpu")
	if err != nil {
		col = len(p.SampleType) - 1
	}
	if col < 0 {
		return DependencyShare{}, false
	}
	var total float64
	mods := map[string]float64{}
	funcs := map[string]map[string]float64{}
	callers := map[string]map[string]float64{}
	for _, s := range p.Sample {
		v := float64(s.Value[col])
		total += v
		mod, fn, caller := "", "", ""
	frames:
		for _, loc := range s.Location {
			for _, ln := range loc.Line { // innermost first
				if ln.Function == nil {
					continue
				}
				name := ln.Function.Name
				pkg := analyze.FuncPackage(name)
				switch {
				case own(pkg):
					caller = name
					break frames
				case mod == "" && !stdPackage(pkg):
					mod, fn = modulePathOf(pkg), name
				}
			}
		}
		if mod == "" || caller == "" {
			continue
		}
		mods[mod] += v
		if funcs[mod] == nil {
			funcs[mod], callers[mod] = map[string]float64{}, map[string]float64{}
		}
		funcs[mod][fn] += v
		callers[mod][caller] += v
	}
	if total <= 0 {
		return DependencyShare{}, false
	}
	var best string
	for m, v := range mods {
		if best == "" || v > mods[best] || v == mods[best] && m < best {
			best = m
		}
	}
	if best == "" || mods[best]/total < least {
		return DependencyShare{}, false
	}
	d := DependencyShare{Module: best, Share: mods[best] / total}
	for fn, v := range funcs[best] {
		d.Top = append(d.Top, FuncShare{fn, v / total})
	}
	slices.SortFunc(d.Top, func(a, b FuncShare) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(a.Function, b.Function))
	})
	d.Top = d.Top[:min(len(d.Top), 3)]
	for c, v := range callers[best] {
		if d.Caller == "" || v > callers[best][d.Caller] || v == callers[best][d.Caller] && c < d.Caller {
			d.Caller = c
		}
	}
	return d, true
}

// Note says where the time went and how to look into it.
func (d DependencyShare) Note() string {
	var top []string
	for _, f := range d.Top {
		top = append(top, fmt.Sprintf("%s %s", pkgLocalName(f.Function), pct(f.Share)))
	}
	return fmt.Sprintf("%s of the CPU time is in the dependency %s, under %s (%s): to attribute it to its own lines and run the rules on it, profile again with --own %s/...",
		pct(d.Share), d.Module, d.Caller, strings.Join(top, ", "), d.Module)
}

// stdPackage reports whether pkg is in the standard library (its first
// element has no dot) or is the hook or generated code.
func stdPackage(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".")
}

// modulePathOf guesses the module of an import path: three elements on the
// hosts whose paths are host/owner/repo, two elsewhere (mvdan.cc/gofumpt,
// gopkg.in/yaml.v3).
func modulePathOf(pkg string) string {
	parts := strings.Split(pkg, "/")
	n := 2
	switch parts[0] {
	case "github.com", "gitlab.com", "bitbucket.org", "golang.org", "go.googlesource.com", "google.golang.org", "k8s.io", "sigs.k8s.io":
		n = 3
	}
	if parts[0] == "google.golang.org" || parts[0] == "k8s.io" {
		n = 2
	}
	return strings.Join(parts[:min(n, len(parts))], "/")
}

// pkgLocalName drops the path before the last element from a function
// name: "parser.(*p).Parse".
func pkgLocalName(fn string) string {
	pkg := analyze.FuncPackage(fn)
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		return fn[i+1:]
	}
	return fn
}
