package ci

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/advisor-dev/advisor/analyze/benchstat"

	"go.yaml.in/yaml/v3"
)

// Config is the "ci" section of .advisor.yaml:
//
//	ci:
//	  bench: .            # -bench regexp
//	  count: 10           # rounds (runs per side)
//	  benchtime: 100ms    # -benchtime per run
//	  alpha: 0.05
//	  threshold: 5%       # slowdown that fails (sec/op, custom units)
//	  allocs_threshold: 0 # tolerated allocs/op increase
//	  bytes_threshold: 1% # tolerated B/op increase
//	  confirm: true       # re-measure suspected regressions before failing
//	  benchmarks:         # per-benchmark overrides, first match wins
//	    - match: ^Parse/  # regexp on the name as printed (without "Benchmark")
//	      threshold: 10%
//	    - match: ^Flaky
//	      ignore: true
//
// Other top-level sections belong to other subcommands and are not read here.
type Config struct {
	Bench     string
	Count     int
	Benchtime string
	Confirm   bool
	Gate      benchstat.Thresholds
}

// DefaultConfig returns the defaults used without a config file.
func DefaultConfig() Config {
	return Config{Bench: ".", Count: 10, Benchtime: "100ms", Confirm: true, Gate: benchstat.DefaultThresholds()}
}

// yamlFile is the document shape. Sections other than "ci" are
// collected by the inline map, so that only "ci" is checked for unknown keys.
type yamlFile struct {
	CI    *yamlCI        `yaml:"ci"`
	Other map[string]any `yaml:",inline"`
}

type yamlCI struct {
	Bench           *string        `yaml:"bench"`
	Count           *int           `yaml:"count"`
	Benchtime       *string        `yaml:"benchtime"`
	Alpha           *float64       `yaml:"alpha"`
	Threshold       *yamlPercent   `yaml:"threshold"`
	AllocsThreshold *yamlPercent   `yaml:"allocs_threshold"`
	BytesThreshold  *yamlPercent   `yaml:"bytes_threshold"`
	Confirm         *bool          `yaml:"confirm"`
	Benchmarks      []yamlOverride `yaml:"benchmarks"`
}

type yamlOverride struct {
	Match           string       `yaml:"match"`
	Threshold       *yamlPercent `yaml:"threshold"`
	AllocsThreshold *yamlPercent `yaml:"allocs_threshold"`
	BytesThreshold  *yamlPercent `yaml:"bytes_threshold"`
	Ignore          bool         `yaml:"ignore"`
}

// yamlPercent accepts "5%" or a fraction such as 0.05.
type yamlPercent float64

// UnmarshalYAML reads a percentage or a fraction (ParsePercent).
func (p *yamlPercent) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a percentage such as 5%% or a fraction such as 0.05", n.Line)
	}
	f, err := ParsePercent(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*p = yamlPercent(f)
	return nil
}

// ParsePercent parses a threshold written as a percentage ("5%") or a
// fraction ("0.05") and returns the fraction.
func ParsePercent(s string) (float64, error) {
	t := strings.TrimSpace(s)
	scale := 1.0
	if rest, ok := strings.CutSuffix(t, "%"); ok {
		t, scale = strings.TrimSpace(rest), 0.01
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, fmt.Errorf("%q is not a non-negative percentage (e.g. 5%% or 0.05)", s)
	}
	return f * scale, nil
}

// ParseConfig reads the "ci" section of an .advisor.yaml document
// over the defaults. name is used in error messages. Unknown keys inside
// "ci" are errors, so that a typo does not silently loosen the gate.
func ParseConfig(data []byte, name string) (Config, error) {
	cfg := DefaultConfig()
	var file yamlFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
		return cfg, fmt.Errorf("%s: %w", name, yamlError(err))
	}
	if file.CI == nil {
		return cfg, nil
	}
	ci := *file.CI
	if ci.Bench != nil {
		if _, err := regexp.Compile(*ci.Bench); err != nil {
			return cfg, fmt.Errorf("%s: ci.bench: %w", name, err)
		}
		cfg.Bench = *ci.Bench
	}
	if ci.Count != nil {
		if *ci.Count < 1 || *ci.Count > 1000 {
			return cfg, fmt.Errorf("%s: ci.count must be between 1 and 1000, got %d", name, *ci.Count)
		}
		cfg.Count = *ci.Count
	}
	if ci.Benchtime != nil {
		if err := CheckBenchtime(*ci.Benchtime); err != nil {
			return cfg, fmt.Errorf("%s: ci.benchtime: %w", name, err)
		}
		cfg.Benchtime = *ci.Benchtime
	}
	if ci.Alpha != nil {
		if !(*ci.Alpha > 0 && *ci.Alpha < 1) {
			return cfg, fmt.Errorf("%s: ci.alpha must be in (0, 1), got %v", name, *ci.Alpha)
		}
		cfg.Gate.Alpha = *ci.Alpha
	}
	if ci.Threshold != nil {
		cfg.Gate.Threshold = float64(*ci.Threshold)
	}
	if ci.AllocsThreshold != nil {
		cfg.Gate.AllocsThreshold = float64(*ci.AllocsThreshold)
	}
	if ci.BytesThreshold != nil {
		cfg.Gate.BytesThreshold = float64(*ci.BytesThreshold)
	}
	if ci.Confirm != nil {
		cfg.Confirm = *ci.Confirm
	}
	for i, o := range ci.Benchmarks {
		if o.Match == "" {
			return cfg, fmt.Errorf("%s: ci.benchmarks[%d]: match is required", name, i)
		}
		re, err := regexp.Compile(o.Match)
		if err != nil {
			return cfg, fmt.Errorf("%s: ci.benchmarks[%d].match: %w", name, i, err)
		}
		cfg.Gate.Overrides = append(cfg.Gate.Overrides, benchstat.Override{
			Match:           re,
			Threshold:       (*float64)(o.Threshold),
			AllocsThreshold: (*float64)(o.AllocsThreshold),
			BytesThreshold:  (*float64)(o.BytesThreshold),
			Ignore:          o.Ignore,
		})
	}
	return cfg, nil
}

// yamlFieldRE matches the strict decoder's unknown-key message.
var yamlFieldRE = regexp.MustCompile(`field (\S+) not found in type \S+`)

// yamlError turns yaml's multi-line type errors into one line and says
// "unknown key" instead of naming Go types.
func yamlError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = yamlFieldRE.ReplaceAllString(m, "unknown key $1")
	}
	return errors.New(strings.Join(msgs, "; "))
}

// CheckBenchtime validates a -benchtime value: a positive duration ("100ms")
// or an iteration count ("1000x").
func CheckBenchtime(s string) error {
	if rest, ok := strings.CutSuffix(s, "x"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a positive iteration count such as 1000x", s)
		}
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q is not a positive duration such as 100ms or a count such as 1000x", s)
	}
	return nil
}
