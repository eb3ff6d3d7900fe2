package golangci

import (
	"bytes"
	"cmp"
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
// have. Its first verb is the plugin's settings block, the second the
// treatment of generated files ("lax", golangci-lint's default, leaves them
// out; advisor lint reports them). Paths are relative to the working
// directory, the module root, as advisor lint's are.
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
  exclusions:
    generated: %s
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`

// TestCustomBinary runs a golangci-lint built with this plugin
// (scripts/golangci-custom.sh --test builds one and runs this test) on
// testdata/mod and checks that it reports exactly the findings of
// advisor lint --all, position, rule and message, for the default
// settings, a disable list and an enable list (generated files included;
// with golangci-lint's default, the same but gen.go's); that the command lines of
// vscode-go and golangci-lint-langserver get the same findings
// (testEditors); and that an unknown rule in the settings stops
// golangci-lint with the plugin's message. --all, since the plugin, like
// advisor-vet, has no default hiding: it also reports the finding in
// store_test.go that advisor lint leaves out by default.
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
		name      string
		settings  string   // the plugin's settings block in .golangci.yml
		generated string   // linters.exclusions.generated: disable unless set
		args      []string // the same selection for advisor lint
		want      []string // findings (file:line:col: rule) that must be among them
		not       []string // rules or positions that must not be
	}{{
		name: "default",
		want: []string{
			"gen.go:10:3: stringconcat",
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
	}, {
		// golangci-lint's default leaves generated files out, which
		// advisor lint does not: the same findings but gen.go's.
		name:      "generated files left out",
		generated: "lax",
		want:      []string{"main.go:19:9: overlaprecursion", "main.go:54:3: stringconcat"},
		not:       []string{"gen.go:"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			generated := cmp.Or(tc.generated, "disable")
			gcl, err := runCustom(bin, mod, t.TempDir(), tc.settings, generated)
			if err != nil {
				t.Fatal(err)
			}
			adv, err := runAdvisorLint(advisor, mod, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if generated == "lax" {
				n := len(adv)
				adv = slices.DeleteFunc(adv, func(f string) bool { return strings.HasPrefix(f, "gen.go:") })
				if len(adv) == n {
					t.Fatalf("advisor lint reports nothing in gen.go:\n%s", strings.Join(adv, "\n"))
				}
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

	t.Run("editors", func(t *testing.T) { testEditors(t, bin, advisor, mod) })

	t.Run("unknown rule", func(t *testing.T) {
		cmd, err := customCommand(bin, mod, t.TempDir(), "enable: [nosuchrule]", "disable")
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

// customCommand is golangci-lint run on mod with gclConfig, the given
// plugin settings and treatment of generated files, JSON on stdout. The config and a cache of its own go to
// the empty directory dir, so that no result of an earlier build or run is
// reused.
func customCommand(bin, mod, dir, settings, generated string) (*exec.Cmd, error) {
	block := ""
	if settings != "" {
		block = "        settings:\n          " + settings
	}
	cfg := filepath.Join(dir, ".golangci.yml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, gclConfig, block, generated), 0o644); err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	cmd := exec.Command(bin, "run", "--config", cfg, "--output.json.path", "stdout", "--show-stats=false", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+filepath.Join(dir, "cache"), "GOWORK=off")
	return cmd, nil
}

// runCustom runs golangci-lint (see customCommand) and returns its
// advisor findings as sorted "file:line:col: rule: message" lines.
func runCustom(bin, mod, dir, settings, generated string) ([]string, error) {
	cmd, err := customCommand(bin, mod, dir, settings, generated)
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

// editorConfig is a .golangci.yml at a module's root, where editors'
// golangci-lint finds it by itself.
const editorConfig = `version: "2"
linters:
  default: none
  enable: [advisor]
  settings:
    custom:
      advisor:
        type: module
        description: profiling-driven performance rules
`

// testEditors runs the custom binary as two editor integrations do, with
// their own command lines, on a copy of mod with editorConfig at its root,
// and checks that they get advisor lint's findings of package store:
//   - vscode-go (extension/src/goLint.ts, golangci-lint v2, go.lintOnSave
//     "package", which runs with gopls on): run in the saved file's
//     directory with its flags appended, absolute paths on stdout;
//   - golangci-lint-langserver (handler.go, Neovim and Helix): run in the
//     workspace root with the file's directory as argument, JSON whose
//     paths it matches against the file's path relative to the root.
//
// And that --fast-only, which golangci-lint's docs suggest for editors,
// leaves the advisor linter out: its rules need type information.
func testEditors(t *testing.T, bin, advisor, mod string) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(mod)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, ".golangci.yml"), []byte(editorConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	all, err := runAdvisorLint(advisor, root, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []string // advisor lint's findings in package store
	for _, f := range all {
		if strings.HasPrefix(f, "store/") {
			want = append(want, f)
		}
	}
	if len(want) < 2 {
		t.Fatalf("advisor lint finds %d findings in store, want at least 2:\n%s", len(want), strings.Join(all, "\n"))
	}
	env := append(os.Environ(), "GOLANGCI_LINT_CACHE="+filepath.Join(t.TempDir(), "cache"), "GOWORK=off")
	run := func(dir string, args ...string) ([]byte, error) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return out, fmt.Errorf("%w\n%s", err, stderr.Bytes())
		}
		return out, nil
	}

	vscodeFlags := []string{"run", "--issues-exit-code=0", "--output.text.print-issued-lines=false",
		"--show-stats=false", "--output.text.path=stdout", "--path-mode=abs"}
	t.Run("vscode-go", func(t *testing.T) {
		out, err := run(filepath.Join(root, "store"), vscodeFlags...)
		if err != nil {
			t.Fatalf("golangci-lint %s: %v", strings.Join(vscodeFlags, " "), err)
		}
		// file:line:col: rule: message (advisor), the line vscode-go's
		// runTool parses; the file is absolute.
		line := regexp.MustCompile(`^(/.+?:\d+:\d+): (.*) \(` + Name + `\)$`)
		var got []string
		for l := range strings.Lines(string(out)) {
			m := line.FindStringSubmatch(strings.TrimSuffix(l, "\n"))
			if m == nil {
				t.Fatalf("unexpected line %q", l)
			}
			rel, err := filepath.Rel(root, m[1])
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, filepath.ToSlash(rel)+": "+m[2])
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("vscode-go's golangci-lint reports\n\t%s\nadvisor lint --all reports\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	})
	t.Run("golangci-lint-langserver", func(t *testing.T) {
		args := []string{"run", "--output.json.path=stdout", "--show-stats=false", "--issues-exit-code=1", filepath.Join(root, "store") + string(filepath.Separator)}
		out, err := run(root, args...)
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
			t.Fatalf("golangci-lint %s: %v", strings.Join(args, " "), err)
		}
		var report struct {
			Issues []struct {
				Text string
				Pos  struct {
					Filename     string
					Line, Column int
				}
			}
		}
		if err := json.Unmarshal(out, &report); err != nil {
			t.Fatalf("JSON: %v\n%s", err, out)
		}
		var got []string
		for _, is := range report.Issues {
			got = append(got, fmt.Sprintf("%s:%d:%d: %s", is.Pos.Filename, is.Pos.Line, is.Pos.Column, is.Text))
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("golangci-lint-langserver's golangci-lint reports\n\t%s\nadvisor lint --all reports\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	})
	t.Run("fast-only", func(t *testing.T) {
		args := append([]string{vscodeFlags[0], "--fast-only"}, vscodeFlags[1:]...)
		out, err := run(filepath.Join(root, "store"), args...)
		if bytes.Contains(out, []byte("("+Name+")")) {
			t.Errorf("golangci-lint --fast-only ran the advisor linter:\n%s", out)
		}
		if err == nil || !strings.Contains(err.Error(), "no linters enabled") {
			t.Errorf("golangci-lint --fast-only with only advisor enabled: %v, want the error \"no linters enabled\"", err)
		}
	})
}
