package golangci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// binaryEnv names the custom golangci-lint binary TestCustomBinary runs.
const binaryEnv = "ADVISOR_GOLANGCI_LINT"

// gclConfig is the .golangci.yml of TestCustomBinary: only the advisor
// linter, and none of golangci-lint's own limits (at most 50 issues per
// linter, 3 of the same text, one per line), which advisor lint does not
// have. Paths are relative to the working directory, the module root, as
// advisor lint's are.
const gclConfig = `version: "2"
run:
  relative-path-mode: wd
linters:
  default: none
  enable: [advisor]
  settings:
    custom:
      advisor:
        type: module
        description: profiling-driven performance rules
%s
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`

// TestCustomBinary runs a golangci-lint built with this plugin
// (scripts/golangci-custom.sh --test builds one and runs this test) on
// testdata/mod and checks that it reports exactly the findings of
// advisor lint --all, position, rule and message, for the default
// settings, a disable list and an enable list; and that an unknown rule in
// the settings stops golangci-lint with the plugin's message. --all, since
// the plugin, like advisor-vet, has no default hiding: it also reports the
// finding in store_test.go that advisor lint leaves out by default.
func TestCustomBinary(t *testing.T) {
	bin := os.Getenv(binaryEnv)
	if bin == "" {
		t.Skip(binaryEnv + " is unset: scripts/golangci-custom.sh --test builds a custom golangci-lint (minutes) and runs this test with it")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s: %v", binaryEnv, err)
	}
	advisor := filepath.Join(t.TempDir(), "advisor")
	if out, err := exec.Command("go", "build", "-o", advisor, "github.com/advisor-dev/advisor/cmd/advisor").CombinedOutput(); err != nil {
		t.Fatalf("go build advisor: %v\n%s", err, out)
	}
	mod, err := filepath.Abs(filepath.Join("testdata", "mod"))
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name     string
		settings string   // the plugin's settings block in .golangci.yml
		args     []string // the same selection for advisor lint
		want     []string // findings (file:line:col: rule) that must be among them
		not      []string // rules or positions that must not be
	}{{
		name: "default",
		want: []string{
			"main.go:19:9: overlaprecursion",
			"main.go:35:9: hoistcompile",
			"main.go:46:9: prealloc",
			"main.go:54:3: stringconcat",
			"main.go:60:2: ignoredirective", // a directive without a reason
			"store/store.go:11:9: lookuponce",
			"store/store.go:21:6: linearsearch",
			"store/store_test.go:10:3: stringconcat",
		},
		not: []string{"main.go:29:"}, // trib's recursion, under //advisor:ignore
	}, {
		name:     "disable",
		settings: "disable: [prealloc, lookuponce]",
		args:     []string{"--disable", "prealloc,lookuponce"},
		want:     []string{"main.go:19:9: overlaprecursion", "store/store.go:21:6: linearsearch"},
		not:      []string{": prealloc", ": lookuponce"},
	}, {
		name:     "enable",
		settings: "enable: [overlaprecursion, stringconcat]",
		args:     []string{"--rules", "overlaprecursion,stringconcat"},
		want: []string{
			"main.go:19:9: overlaprecursion",
			"main.go:54:3: stringconcat",
			"main.go:60:2: ignoredirective", // directives are checked whatever the rules
		},
		not: []string{": hoistcompile", ": prealloc", ": linearsearch", ": lookuponce", "main.go:29:"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			gcl, err := runCustom(bin, mod, t.TempDir(), tc.settings)
			if err != nil {
				t.Fatal(err)
			}
			adv, err := runAdvisorLint(advisor, mod, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(gcl, adv) {
				t.Errorf("golangci-lint reports\n\t%s\nadvisor lint --all reports\n\t%s",
					strings.Join(gcl, "\n\t"), strings.Join(adv, "\n\t"))
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(gcl, func(f string) bool { return strings.HasPrefix(f, w+": ") }) {
					t.Errorf("golangci-lint does not report %s", w)
				}
			}
			for _, n := range tc.not {
				if i := slices.IndexFunc(gcl, func(f string) bool { return strings.Contains(f, n) }); i >= 0 {
					t.Errorf("golangci-lint reports %s", gcl[i])
				}
			}
		})
	}

	t.Run("unknown rule", func(t *testing.T) {
		cmd, err := customCommand(bin, mod, t.TempDir(), "enable: [nosuchrule]")
		if err != nil {
			t.Fatal(err)
		}
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 1 {
			// 1 is golangci-lint's "issues found"; a bad configuration is another code.
			t.Fatalf("golangci-lint exited with %v, want a configuration error\n%s", err, out)
		}
		if !bytes.Contains(out, []byte(`unknown rule "nosuchrule"`)) {
			t.Errorf("golangci-lint output lacks the plugin's error:\n%s", out)
		}
	})
}

// customCommand is golangci-lint run on mod with gclConfig and the given
// plugin settings, JSON on stdout. The config and a cache of its own go to
// the empty directory dir, so that no result of an earlier build or run is
// reused.
func customCommand(bin, mod, dir, settings string) (*exec.Cmd, error) {
	block := ""
	if settings != "" {
		block = "        settings:\n          " + settings
	}
	cfg := filepath.Join(dir, ".golangci.yml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, gclConfig, block), 0o644); err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	cmd := exec.Command(bin, "run", "--config", cfg, "--output.json.path", "stdout", "--show-stats=false", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+filepath.Join(dir, "cache"), "GOWORK=off")
	return cmd, nil
}

// runCustom runs golangci-lint (see customCommand) and returns its
// advisor findings as sorted "file:line:col: rule: message" lines.
func runCustom(bin, mod, dir, settings string) ([]string, error) {
	cmd, err := customCommand(bin, mod, dir, settings)
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: issues found
		return nil, fmt.Errorf("golangci-lint: %v\n%s%s", err, out, stderr.Bytes())
	}
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
		Report struct{ Error string }
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, fmt.Errorf("golangci-lint JSON: %w\n%s", err, out)
	}
	if report.Report.Error != "" {
		return nil, fmt.Errorf("golangci-lint: %s", report.Report.Error)
	}
	var fs []string
	for _, is := range report.Issues {
		if is.FromLinter != Name {
			return nil, fmt.Errorf("golangci-lint reports an issue of linter %q; the config enables only %s", is.FromLinter, Name)
		}
		// golangci-lint prefixes the message by the analyzer's name when
		// it is not the linter's: "overlaprecursion: fib calls itself ...".
		fs = append(fs, fmt.Sprintf("%s:%d:%d: %s", filepath.ToSlash(is.Pos.Filename), is.Pos.Line, is.Pos.Column, is.Text))
	}
	slices.Sort(fs)
	return fs, nil
}

// lintLine is one line of advisor lint's text output: file:line:col:
// message (rule), or (rule; why hidden) with --all.
var lintLine = regexp.MustCompile(`^(.+?:\d+:\d+): (.*) \(([a-z]+)(?:; [^()]*)?\)$`)

// runAdvisorLint runs advisor lint --all with args on mod and returns its
// findings in runCustom's form.
func runAdvisorLint(advisor, mod string, args []string) ([]string, error) {
	cmd := exec.Command(advisor, append(append([]string{"lint", "--all"}, args...), "./...")...)
	cmd.Dir = mod
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: findings
		return nil, fmt.Errorf("advisor lint: %v\n%s", err, stderr.Bytes())
	}
	var fs []string
	for l := range strings.Lines(string(out)) {
		m := lintLine.FindStringSubmatch(strings.TrimSuffix(l, "\n"))
		if m == nil {
			return nil, fmt.Errorf("advisor lint: unexpected line %q", l)
		}
		fs = append(fs, fmt.Sprintf("%s: %s: %s", m[1], m[3], m[2]))
	}
	slices.Sort(fs)
	return fs, nil
}
