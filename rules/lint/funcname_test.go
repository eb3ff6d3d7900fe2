package lint

import (
	"go/ast"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestFuncNamesMatchRuntime builds and runs testdata/names, which prints
// the runtime's name of the function around each call of here, and checks
// that funcNames gives the same name for the position of each call.
func TestFuncNamesMatchRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "names"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "-gcflags=-l", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run testdata/names: %v", err)
	}
	want := make(map[string]map[string]bool) // "file:line" -> names called there
	for l := range strings.Lines(string(out)) {
		f := strings.Fields(l)
		if len(f) != 3 {
			t.Fatalf("bad output line %q", l)
		}
		k := f[0] + ":" + f[1]
		if want[k] == nil {
			want[k] = make(map[string]bool)
		}
		want[k][f[2]] = true
	}

	cfg := &packages.Config{Dir: dir, Mode: packages.NeedName | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedFiles}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]map[string]bool)
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("load %s: %v", p.PkgPath, p.Errors)
		}
		names := newFuncNames(p.Fset, p.PkgPath, p.Name, p.TypesInfo, p.Syntax)
		for _, f := range p.Syntax {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "here" {
					posn := p.Fset.Position(call.Pos())
					k := filepath.Base(posn.Filename) + ":" + strconv.Itoa(posn.Line)
					if got[k] == nil {
						got[k] = make(map[string]bool)
					}
					got[k][names.at(p.Fset, call.Pos())] = true
				}
				return true
			})
		}
	}
	if len(want) < 20 {
		t.Fatalf("program printed only %d call sites", len(want))
	}
	for k, names := range want {
		for n := range names {
			if !got[k][n] {
				t.Errorf("%s: runtime name %q, funcNames gave %v", k, n, keys(got[k]))
			}
		}
	}
	for k := range got {
		if want[k] == nil {
			t.Errorf("%s: call of here never ran; the fixture must run every call", k)
		}
	}
}

func keys(m map[string]bool) []string {
	return slices.Sorted(maps.Keys(m))
}

func TestPathPrefix(t *testing.T) {
	for _, tc := range []struct{ path, name, want string }{
		{"example.com/cmd/app", "main", "main"},
		{"gopkg.in/yaml.v3", "yaml", "gopkg.in/yaml%2ev3"},
		{"example.com/a.b/c", "c", "example.com/a.b/c"},
		{"p_test", "p_test", "p_test"},
		{`odd/"q%`, "q", "odd/%22q%25"},
	} {
		if got := pathPrefix(tc.path, tc.name); got != tc.want {
			t.Errorf("pathPrefix(%q, %q) = %q, want %q", tc.path, tc.name, got, tc.want)
		}
	}
}

func TestIsHelp(t *testing.T) {
	for name, want := range map[string]bool{
		"printHelpCustom":                true,
		"prepareUsageText":               true,
		"SuggestionsFor":                 true,
		"enforceFlagGroupsForCompletion": true,
		"usage":                          true,
		"show_help":                      true,
		"Helper":                         false, // not the word help
		"helperFunc":                     false,
		"usageCount":                     false, // resource use
		"cpuUsage":                       false,
		"HTTPUsageReport":                false,
		"UsageTemplate":                  true,
		"suggested":                      false,
		"Join":                           false,
		"completed":                      false,
	} {
		if got := isHelp(name); got != want {
			t.Errorf("isHelp(%q) = %v, want %v (words %q)", name, got, want, camelWords(name))
		}
	}
}
