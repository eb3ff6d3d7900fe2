package verify

import (
	"cmp"
	"fmt"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
	"github.com/advisor-dev/advisor/rules/rewrite"
)

// findingRef names a finding: the report cites findings as
// "rule@file:line" (Recommendation.Findings), the rules' result has them
// as fields; both become this, compared as a value.
type findingRef struct {
	rule, file string // file is relative to the module, slash-separated
	line       int
}

// parseRef reads a reference "rule@file:line" from the report.
func parseRef(s string) (findingRef, bool) {
	at := strings.IndexByte(s, '@')
	colon := strings.LastIndexByte(s, ':')
	if at < 0 || colon < at {
		return findingRef{}, false
	}
	line, err := strconv.Atoi(s[colon+1:])
	return findingRef{rule: s[:at], file: s[at+1 : colon], line: line}, err == nil && line > 0
}

// fixIndex holds the rules' suggested fixes by the finding they fix, and
// the function each finding is in.
type fixIndex struct {
	fixes map[findingRef][]lint.Fix
	lint  *lint.Result // type-checks combined fixes
	funcs map[findingRef]string
}

// loadFixes indexes the rules' fixes, running the rules when they did not
// run with the analysis (--no-lint). When they fail (noted), the index is
// empty and only the templates remain.
func (vr *verifier) loadFixes() *fixIndex {
	ix := &fixIndex{fixes: map[findingRef][]lint.Fix{}, funcs: map[findingRef]string{}}
	lr := vr.o.Lint
	if lr == nil {
		var err error
		if lr, err = lint.Run(vr.ctx, lint.Config{Dir: vr.o.ModuleDir, Patterns: vr.o.OwnPackages, Rules: all.Rules()}); err != nil {
			vr.note("the rules' fixes are unavailable: %v", err)
			return ix
		}
	}
	ix.lint = lr
	for _, d := range lr.DroppedFixes {
		vr.note("%s", d)
	}
	for _, fx := range lr.Fixes {
		fd := lr.Findings[fx.Finding]
		ref := findingRef{rule: fd.Rule, file: fd.File, line: fd.Line}
		ix.fixes[ref] = append(ix.fixes[ref], fx)
		ix.funcs[ref] = fd.Function
	}
	return ix
}

// packages loads and caches the packages of the files the templates
// rewrite.
type packages struct {
	vr   *verifier
	pkgs map[string]*rewrite.Package // by directory
}

// of returns the package of file (an absolute path).
func (ps *packages) of(file string) (*rewrite.Package, error) {
	dir := filepath.Dir(file)
	if p, ok := ps.pkgs[dir]; ok {
		return p, nil
	}
	p, err := rewrite.Load(ps.vr.ctx, dir, ".")
	if err != nil {
		return nil, err
	}
	ps.pkgs[dir] = p
	return p, nil
}

// candidates finds the concrete rewrites of the report's recommendations:
// the rules' suggested fixes for the findings each cites, and the
// goroutines, workers and builder templates.
func (vr *verifier) candidates() []candidate {
	ps := &packages{vr: vr, pkgs: map[string]*rewrite.Package{}}
	var ix *fixIndex // loaded when first needed: running the rules is slow
	var cands []candidate
	for i, r := range vr.rep.Recommendations {
		where := r.Function
		if r.File != "" {
			where = fmt.Sprintf("%s (%s:%d)", cmp.Or(r.Function, "loop"), r.File, r.Line)
		}
		what := r.Kind + " " + where
		switch r.Kind {
		case report.KindNone, report.KindPGO, report.KindProcesses:
			continue
		case report.KindGoroutines, report.KindWorkers:
			if c, ok := vr.template(ps, r, i, what); ok {
				cands = append(cands, c)
			}
			continue
		}
		if len(r.Findings) == 0 {
			continue
		}
		if ix == nil {
			ix = vr.loadFixes()
		}
		var refs []findingRef
		for _, s := range r.Findings {
			if ref, ok := parseRef(s); ok {
				refs = append(refs, ref)
			}
		}
		var fxs []lint.Fix
		for _, ref := range refs {
			if r.Kind == report.KindCache && !vr.pure(ps, ref, ix.funcs[ref]) {
				if len(ix.fixes[ref]) > 0 {
					vr.note("%s: %s is not provably free of effects (it may write shared state or do I/O); not memoized", what, ix.funcs[ref])
				}
				continue
			}
			fxs = append(fxs, ix.fixes[ref]...)
		}
		if len(fxs) == 0 && r.Kind == report.KindBuilder && len(refs) > 0 {
			// No rule fix: the builder template at the first concatenation.
			if c, ok := vr.builder(ps, refs[0], i, what); ok {
				cands = append(cands, c)
			}
			continue
		}
		if len(fxs) == 0 {
			continue
		}
		changes, _, err := lint.Changes(fxs)
		if err == nil {
			err = ix.lint.Check(changes) // each fix type-checks; together they must too
		}
		if err != nil {
			vr.note("%s: %v", what, err)
			continue
		}
		if len(changes) > 0 {
			cands = append(cands, candidate{rec: i, what: what, changes: changes})
		}
	}
	return cands
}

// template applies the goroutines or workers template at r's line.
func (vr *verifier) template(ps *packages, r report.Recommendation, rec int, what string) (candidate, bool) {
	if r.File == "" || r.Line == 0 {
		return candidate{}, false
	}
	if filepath.Ext(r.File) != ".go" {
		// xxhash's writeBlocks is assembly: there is no Go loop there.
		vr.note("%s: not rewritten: %s is not Go source, so there is no loop to rewrite there", what, r.File)
		return candidate{}, false
	}
	file := filepath.Join(vr.o.ModuleDir, filepath.FromSlash(r.File))
	p, err := ps.of(file)
	if err != nil {
		vr.note("%s: %v", what, err)
		return candidate{}, false
	}
	tmpl := rewrite.Goroutines
	if r.Kind == report.KindWorkers {
		tmpl = rewrite.Workers
	}
	rw, err := tmpl(p, file, r.Line)
	if err != nil {
		vr.note("%s: %v", what, err)
		return candidate{}, false
	}
	return candidate{rec: rec, what: what, concurrent: rw.Concurrent,
		changes: []lint.Change{{File: rw.File, Old: rw.Old, New: rw.New, Applied: 1}}}, true
}

// builder applies the builder template at a finding (a string
// concatenation in a loop).
func (vr *verifier) builder(ps *packages, ref findingRef, rec int, what string) (candidate, bool) {
	abs := filepath.Join(vr.o.ModuleDir, filepath.FromSlash(ref.file))
	p, err := ps.of(abs)
	if err != nil {
		vr.note("%s: %v", what, err)
		return candidate{}, false
	}
	rw, err := rewrite.Builder(p, abs, ref.line)
	if err != nil {
		vr.note("%s: %v", what, err)
		return candidate{}, false
	}
	return candidate{rec: rec, what: what, changes: []lint.Change{{File: rw.File, Old: rw.Old, New: rw.New, Applied: 1}}}, true
}

// pure reports whether the function a finding is in (qualified as
// "pkg.name") has no effects but its result. Reading package state is
// fine: the memo of the rules' fix lives for one top-level call, during
// which that state cannot change (short of a data race).
func (vr *verifier) pure(ps *packages, ref findingRef, function string) bool {
	if function == "" {
		return false
	}
	p, err := ps.of(filepath.Join(vr.o.ModuleDir, filepath.FromSlash(ref.file)))
	if err != nil {
		return false
	}
	name := function[strings.LastIndexByte(function, '.')+1:]
	fn, ok := p.Types.Scope().Lookup(name).(*types.Func)
	return ok && rewrite.Pure(p, fn, false)
}
