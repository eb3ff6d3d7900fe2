// Package golangci makes advisor's rules a golangci-lint module plugin
// (https://golangci-lint.run/plugins/module-plugins/), so that teams already
// on golangci-lint get them in the same run, with //advisor:ignore honored.
//
// Build a custom golangci-lint with it by scripts/golangci-custom.sh, which
// needs only the Go module proxy, or by `golangci-lint custom` (it clones
// golangci-lint from GitHub) with a .custom-gcl.yml such as
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/advisor-dev/advisor
//	    import: github.com/advisor-dev/advisor/rules/golangci
//	    version: latest
//
// and enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable: [advisor]
//	  settings:
//	    custom:
//	      advisor:
//	        type: module
//	        description: profiling-driven performance rules
//	        settings:
//	          disable: [linearsearch]   # or enable: [overlaprecursion, prealloc]
package golangci

import (
	"fmt"
	"slices"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
)

// Name is the linter's name in .golangci.yml.
const Name = "advisor"

// golangci-lint finds module plugins through this registry, filled at init:
// that is its plugin contract, not advisor's own state.
func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings in .golangci.yml. At most one of
// Enable and Disable may be set; both list rule names.
type Settings struct {
	Enable  []string `json:"enable"`
	Disable []string `json:"disable"`
}

// New builds the plugin from its settings.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("advisor plugin settings: %w", err)
	}
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	return &plugin{rules: rules}, nil
}

// rules selects the rules the settings ask for.
func (s Settings) rules() ([]all.Rule, error) {
	if len(s.Enable) > 0 && len(s.Disable) > 0 {
		return nil, fmt.Errorf("advisor plugin settings: set enable or disable, not both")
	}
	known := all.Rules()
	for _, name := range append(slices.Clone(s.Enable), s.Disable...) {
		if !slices.ContainsFunc(known, func(r all.Rule) bool { return r.Analyzer.Name == name }) {
			return nil, fmt.Errorf("advisor plugin settings: unknown rule %q (advisor lint --explain lists them)", name)
		}
	}
	var out []all.Rule
	for _, r := range known {
		on := len(s.Enable) == 0 || slices.Contains(s.Enable, r.Analyzer.Name)
		if on && !slices.Contains(s.Disable, r.Analyzer.Name) {
			out = append(out, r)
		}
	}
	return out, nil
}

type plugin struct{ rules []all.Rule }

// BuildAnalyzers returns the selected rules, wrapped so that
// //advisor:ignore directives apply as in advisor lint.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return lint.Analyzers(p.rules), nil
}

// GetLoadMode says the rules need type information.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
