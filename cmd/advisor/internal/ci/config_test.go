package ci

import (
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/benchstat"
	"github.com/advisor-dev/advisor/analyze/report"
)

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
lint:
  anything: goes   # other sections are not ours to check
ci:
  bench: ^Parse
  count: 20
  benchtime: 1000x
  alpha: 0.01
  threshold: 10%
  allocs_threshold: 0.5
  bytes_threshold: 2 %
  confirm: false
  benchmarks:
    - match: ^Parse/big
      threshold: 20%
    - match: Flaky
      ignore: true
`), ".advisor.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g := cfg.Gate
	if cfg.Bench != "^Parse" || cfg.Count != 20 || cfg.Benchtime != "1000x" || cfg.Confirm ||
		g.Alpha != 0.01 || g.Threshold != 0.1 || g.AllocsThreshold != 0.5 || g.BytesThreshold != 0.02 {
		t.Errorf("config %+v", cfg)
	}
	if len(g.Overrides) != 2 || *g.Overrides[0].Threshold != 0.2 || !g.Overrides[1].Ignore || g.Overrides[1].Match.String() != "Flaky" {
		t.Errorf("overrides %+v", g.Overrides)
	}

	def, err := ParseConfig([]byte("other: 1\n"), "x.yaml")
	if err != nil || def.Count != DefaultConfig().Count || def.Gate.Threshold != 0.05 {
		t.Errorf("no ci section: %+v, %v; want the defaults", def, err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ci:\n  treshold: 5%\n", "a.yaml: line 2: unknown key treshold"},
		{"ci:\n  threshold: five\n", `"five" is not a non-negative percentage`},
		{"ci:\n  threshold: -5%\n", "not a non-negative percentage"},
		{"ci:\n  count: 0\n", "ci.count must be between 1 and 1000"},
		{"ci:\n  alpha: 1.5\n", "ci.alpha must be in (0, 1)"},
		{"ci:\n  benchtime: soon\n", "ci.benchtime"},
		{"ci:\n  bench: '('\n", "ci.bench"},
		{"ci:\n  benchmarks:\n    - threshold: 5%\n", "ci.benchmarks[0]: match is required"},
		{"ci:\n  benchmarks:\n    - match: '[a'\n", "ci.benchmarks[0].match"},
		{"ci:\n  benchmarks:\n    - match: a\n      ignored: true\n", "line 4: unknown key ignored"},
		{"ci: [1, 2]\n", "cannot unmarshal"},
		{"ci:\n  threshold: [1]\n", "want a percentage"},
		{"\tci: 1", "found character that cannot start any token"},
	}
	for _, tt := range tests {
		_, err := ParseConfig([]byte(tt.in), "a.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "a.yaml: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseConfig(%q) error %v, want one line starting with the file name and containing %q", tt.in, err, tt.want)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add("ci:\n  threshold: 5%\n  benchmarks:\n    - match: x\n      ignore: true\n")
	f.Add("ci:\n  count: 3\n  benchtime: 10x\n")
	f.Add("ci: {alpha: 0.5, bytes_threshold: '1%'}\nother: [1]\n")
	f.Fuzz(func(t *testing.T, in string) {
		cfg, err := ParseConfig([]byte(in), "f.yaml")
		if err != nil {
			return
		}
		// A config that parses must give a usable gate.
		if _, err := benchstat.Gate(&report.Comparison{}, cfg.Gate); err != nil {
			t.Errorf("parsed config %+v gives an invalid gate: %v", cfg, err)
		}
		if cfg.Count < 1 || CheckBenchtime(cfg.Benchtime) != nil {
			t.Errorf("parsed config has invalid run settings: %+v", cfg)
		}
	})
}

func TestCheckBenchtime(t *testing.T) {
	for _, ok := range []string{"100ms", "1s", "10x", "1x"} {
		if err := CheckBenchtime(ok); err != nil {
			t.Errorf("CheckBenchtime(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "0s", "-1s", "0x", "x", "fast", "1.5x"} {
		if err := CheckBenchtime(bad); err == nil {
			t.Errorf("CheckBenchtime(%q) accepted", bad)
		}
	}
}
