package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/analyze/report"
	"github.com/advisor-dev/advisor/docs"
)

// ciRun runs advisor in-process with args and returns its exit code,
// stdout and stderr.
func ciRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

// TestCompareMatchesBenchstat checks that `advisor compare` prints
// benchstat's table byte for byte (benchstat.golden was produced by the real
// benchstat on the same files) before its verdict lines.
func TestCompareMatchesBenchstat(t *testing.T) {
	tests := []struct {
		dir  string
		exit int
		want []string // verdict lines that must follow the table
	}{
		{"basic", exitFindings, []string{
			"regression  Sum/n=1000-2 sec/op: +21.59% slower",
			"regression  Format-2 allocs/op: allocs/op grew from 8 to 10",
			"advisor: 4 regressions",
		}},
		{"small", exitError, []string{"undecided   Copy-2 sec/op: n=3+3 cannot reach p < 0.05; raise --count"}},
		{"multi", exitFindings, []string{"regression  Format-2 B/op"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			t.Chdir(filepath.Join("..", "..", "testdata", "ci", "compare", tt.dir))
			golden, err := os.ReadFile("benchstat.golden")
			if err != nil {
				t.Fatal(err)
			}
			code, out, stderr := ciRun(t, "compare", "old.txt", "new.txt")
			if code != tt.exit {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.exit, stderr)
			}
			table, verdicts, ok := strings.Cut(out, string(golden))
			if !ok || table != "" {
				t.Fatalf("output does not start with benchstat's table.\n--- got\n%s\n--- benchstat\n%s", out, golden)
			}
			for _, w := range tt.want {
				if !strings.Contains(verdicts, w) {
					t.Errorf("verdicts lack %q:\n%s", w, verdicts)
				}
			}
		})
	}
}

func TestCompareFormats(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "ci", "compare", "basic")
	old, new := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")

	t.Run("json", func(t *testing.T) {
		code, out, _ := ciRun(t, "compare", "--format", "json", old, new)
		if code != exitFindings {
			t.Errorf("exit %d, want 1", code)
		}
		var doc struct {
			Schema      string `json:"schema"`
			Regressions int    `json:"regressions"`
			Verdicts    []struct {
				Name, Unit, Status string
				Change             *float64
			} `json:"verdicts"`
			Comparison struct {
				Tables []struct {
					Unit string
					Rows []struct {
						Name string
						P    float64
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, out)
		}
		if err := docs.ValidateCI([]byte(out)); err != nil {
			t.Error(err)
		}
		if doc.Schema != report.SchemaCIV1 || doc.Regressions != 4 || len(doc.Verdicts) != 12 || len(doc.Comparison.Tables) != 3 {
			t.Errorf("schema %q, %d regressions, %d verdicts, %d tables; want %s, 4, 12, 3", doc.Schema, doc.Regressions, len(doc.Verdicts), len(doc.Comparison.Tables), report.SchemaCIV1)
		}
	})

	t.Run("markdown", func(t *testing.T) {
		_, out, _ := ciRun(t, "compare", "--format", "markdown", old, new)
		reg := strings.Index(out, "**Regressions**")
		details := strings.Index(out, "<details>")
		if !strings.HasPrefix(out, "### ❌ advisor ci: 4 regressions") || reg < 0 || details < reg {
			t.Errorf("markdown must start with the verdict and list regressions before the collapsed details:\n%s", out)
		}
		if !strings.Contains(out, "| `Format-2` | allocs/op | 8.000 | 10.00 | +25.00% |") {
			t.Errorf("markdown lacks the allocs/op regression row:\n%s", out)
		}
	})

	t.Run("junit", func(t *testing.T) {
		_, out, _ := ciRun(t, "compare", "--format", "junit", old, new)
		var doc struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Suites   []struct {
				Cases []struct {
					Name      string    `xml:"name,attr"`
					Classname string    `xml:"classname,attr"`
					Failure   *struct{} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("invalid XML: %v\n%s", err, out)
		}
		// One case per benchmark (4), failing for Sum/n=1000 and Format.
		if doc.Tests != 4 || doc.Failures != 2 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 4 {
			t.Fatalf("tests=%d failures=%d, want 4 and 2:\n%s", doc.Tests, doc.Failures, out)
		}
		for _, c := range doc.Suites[0].Cases {
			failed := c.Failure != nil
			if want := c.Name == "Format-2" || c.Name == "Sum/n=1000-2"; failed != want || c.Classname != "example.com/data" {
				t.Errorf("case %s (class %s): failed=%v, want %v", c.Name, c.Classname, failed, want)
			}
		}
	})

	t.Run("sarif", func(t *testing.T) {
		_, out, _ := ciRun(t, "compare", "--format", "sarif", old, new)
		var doc struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []any `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 || doc.Runs[0].Results == nil {
			t.Errorf("SARIF %v: %s", err, out)
		}
	})

	t.Run("output file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "r.md")
		code, out, _ := ciRun(t, "compare", "--format", "markdown", "-o", path, old, new)
		data, err := os.ReadFile(path)
		if code != exitFindings || out != "" || err != nil || !strings.Contains(string(data), "advisor ci") {
			t.Errorf("exit %d, stdout %q, file %q (%v)", code, out, data, err)
		}
	})
}

func TestCompareGateFlags(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "ci", "compare", "basic")
	old, new := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")
	// Every change passes with high enough thresholds.
	code, out, stderr := ciRun(t, "compare", "--threshold", "50%", "--allocs-threshold", "30%", "--bytes-threshold", "0.3", old, new)
	if code != exitOK || !strings.Contains(out, "advisor: no regressions") {
		t.Errorf("exit %d, want 0:\n%s%s", code, out, stderr)
	}
	// The same through a config file, with one benchmark ignored.
	cfg := filepath.Join(t.TempDir(), "a.yaml")
	os.WriteFile(cfg, []byte("ci:\n  threshold: 50%\n  benchmarks:\n    - match: ^Format\n      ignore: true\n"), 0o644)
	if code, out, stderr := ciRun(t, "compare", "--config", cfg, old, new); code != exitOK {
		t.Errorf("config: exit %d, want 0:\n%s%s", code, out, stderr)
	}
	// Per-benchmark thresholds: only Format's slowdown (14%) stays a
	// regression at 10%; Sum/n=1000's 22% passes at 30%.
	code, out, _ = ciRun(t, "compare", "--allocs-threshold", "30%", "--bytes-threshold", "30%",
		"--bench-threshold", "^Sum/n=1000=30%", "--bench-threshold", "^Format=10%", old, new)
	if code != exitFindings || !strings.Contains(out, "regression  Format-2 sec/op") || strings.Contains(out, "regression  Sum") {
		t.Errorf("--bench-threshold: exit %d:\n%s", code, out)
	}
	// A flag overrides the file.
	if code, _, _ := ciRun(t, "compare", "--config", cfg, "--threshold", "5%", old, new); code != exitFindings {
		t.Errorf("--threshold 5%% over a 50%% config: exit %d, want 1", code)
	}
}

func TestCompareErrors(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.txt", "BenchmarkX-2 10 5 ns/op\nBenchmarkX-2 10 6 ns/op\nBenchmarkX-2 10 5 ns/op\nBenchmarkX-2 10 6 ns/op\n")
	bad := write("bad.txt", "goos: linux\nBenchmarkX-2 ten 5 ns/op\n")
	empty := write("empty.txt", "PASS\n")
	other := write("other.txt", "BenchmarkY-2 10 5 ns/op\n")
	badCfg := write("bad.yaml", "ci:\n  treshold: 5%\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{good}, "want two benchmark files"},
		{[]string{good, bad}, "malformed benchmark output: " + bad + ":2: parsing iteration count"},
		{[]string{good, empty}, empty + ": no benchmark results"},
		{[]string{good, filepath.Join(tmp, "missing.txt")}, "no such file"},
		{[]string{good, other}, "no benchmark appears in both"},
		{[]string{"--format", "xml", good, good}, `unknown --format "xml"`},
		{[]string{"--threshold", "lots", good, good}, `--threshold: "lots" is not a non-negative percentage`},
		{[]string{"--config", badCfg, good, good}, "bad.yaml: line 2: unknown key treshold"},
		{[]string{"--alpha", "2", good, good}, "--alpha must be in (0, 1)"},
		{[]string{"--bench-threshold", "X", good, good}, "want regexp=percent"},
		{[]string{"--bench-threshold", "(=5%", good, good}, "missing closing )"},
		{[]string{"--bench-threshold", "X=lots", good, good}, "is not a non-negative percentage"},
		{[]string{"--nope", good, good}, "unknown flag: --nope"},
	}
	for _, tt := range tests {
		code, _, stderr := ciRun(t, append([]string{"compare"}, tt.args...)...)
		if code != exitError || !strings.Contains(stderr, tt.want) || !strings.HasPrefix(stderr, "advisor: compare: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("compare %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// -h is a request, not an error: every verb prints its help on stdout, as
// advisor -h and advisor lint -h do, and exits 0.
func TestVerbHelpOnStdout(t *testing.T) {
	for _, verb := range []string{"compare", "ci", "lint"} {
		code, stdout, stderr := runAdvisor(t, verb, "-h")
		if code != exitOK || !strings.Contains(stdout, "usage: advisor "+verb) || stderr != "" {
			t.Errorf("advisor %s -h: exit %d, stdout %d bytes, stderr %q", verb, code, len(stdout), stderr)
		}
	}
}
