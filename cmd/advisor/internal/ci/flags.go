package ci

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/spf13/pflag"
)

// GateFlags are the gate settings shared by advisor ci and advisor compare;
// a flag set on the command line overrides the config file.
type GateFlags struct {
	alpha                                *float64
	threshold, allocsThreshold, bytesThr *string
	config                               *string
	overrides                            *[]string
}

// AddGateFlags defines the gate flags on fs.
func AddGateFlags(fs *pflag.FlagSet) *GateFlags {
	return &GateFlags{
		alpha:           fs.Float64("alpha", 0.05, "a change is significant if p < `α`"),
		threshold:       fs.String("threshold", "5%", "slowdown that fails the gate (`percent`) for sec/op and custom units"),
		allocsThreshold: fs.String("allocs-threshold", "0%", "tolerated increase of allocs/op (`percent`)"),
		bytesThr:        fs.String("bytes-threshold", "1%", "tolerated increase of B/op (`percent`)"),
		config:          fs.String("config", "", "config `file` (default .advisor.yaml in the head directory, if present)"),
		overrides:       fs.StringArray("bench-threshold", nil, "`regexp=percent`: threshold for the benchmarks whose name matches (repeatable; before the config file's overrides)"),
	}
}

// Load reads the config file (explicit, or .advisor.yaml in dir) and applies
// the flags the user set.
func (g *GateFlags) Load(fs *pflag.FlagSet, dir string) (Config, error) {
	cfg := DefaultConfig()
	path := *g.config
	if path == "" {
		if p := filepath.Join(dir, ".advisor.yaml"); exists(p) {
			path = p
		}
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("reading config: %w", err)
		}
		if cfg, err = ParseConfig(data, path); err != nil {
			return cfg, err
		}
	}
	if fs.Changed("alpha") {
		if !(*g.alpha > 0 && *g.alpha < 1) {
			return cfg, fmt.Errorf("--alpha must be in (0, 1), got %v", *g.alpha)
		}
		cfg.Gate.Alpha = *g.alpha
	}
	for _, p := range []struct {
		name string
		val  *string
		dst  *float64
	}{
		{"threshold", g.threshold, &cfg.Gate.Threshold},
		{"allocs-threshold", g.allocsThreshold, &cfg.Gate.AllocsThreshold},
		{"bytes-threshold", g.bytesThr, &cfg.Gate.BytesThreshold},
	} {
		if !fs.Changed(p.name) {
			continue
		}
		f, err := ParsePercent(*p.val)
		if err != nil {
			return cfg, fmt.Errorf("--%s: %w", p.name, err)
		}
		*p.dst = f
	}
	var overrides []benchstat.Override
	for _, o := range *g.overrides {
		i := strings.LastIndex(o, "=")
		if i < 0 {
			return cfg, fmt.Errorf("--bench-threshold %q: want regexp=percent, e.g. '^Parse/=10%%'", o)
		}
		re, err := regexp.Compile(o[:i])
		if err != nil {
			return cfg, fmt.Errorf("--bench-threshold %q: %w", o, err)
		}
		f, err := ParsePercent(o[i+1:])
		if err != nil {
			return cfg, fmt.Errorf("--bench-threshold %q: %w", o, err)
		}
		overrides = append(overrides, benchstat.Override{Match: re, Threshold: &f})
	}
	cfg.Gate.Overrides = append(overrides, cfg.Gate.Overrides...)
	return cfg, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
