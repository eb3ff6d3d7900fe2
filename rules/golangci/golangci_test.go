package golangci

import (
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

func names(as []*analysis.Analyzer) []string {
	var ns []string
	for _, a := range as {
		ns = append(ns, a.Name)
	}
	return ns
}

func TestPluginRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if err := analysis.Validate(as); err != nil {
		t.Fatalf("analyzers do not validate: %v", err)
	}
	if ns := names(as); !slices.Contains(ns, "overlaprecursion") || !slices.Contains(ns, "sequentialio") {
		t.Errorf("analyzers = %v, want every rule", ns)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %q", p.GetLoadMode())
	}
}

func TestPluginSettings(t *testing.T) {
	for _, tc := range []struct {
		settings   map[string]any
		want, not  string
		wantErrSub string
	}{
		{settings: map[string]any{"enable": []string{"prealloc"}}, want: "prealloc", not: "overlaprecursion"},
		{settings: map[string]any{"disable": []string{"linearsearch"}}, want: "prealloc", not: "linearsearch"},
		{settings: map[string]any{"enable": []string{"nosuchrule"}}, wantErrSub: "unknown rule"},
		{settings: map[string]any{"enable": []string{"prealloc"}, "disable": []string{"bufreuse"}}, wantErrSub: "not both"},
		{settings: map[string]any{"colour": "blue"}, wantErrSub: "colour"},
	} {
		p, err := New(tc.settings)
		if tc.wantErrSub != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErrSub) {
				t.Errorf("settings %v: error %v, want one containing %q", tc.settings, err, tc.wantErrSub)
			}
			continue
		}
		if err != nil {
			t.Fatalf("settings %v: %v", tc.settings, err)
		}
		as, _ := p.BuildAnalyzers()
		ns := names(as)
		if !slices.Contains(ns, tc.want) || slices.Contains(ns, tc.not) {
			t.Errorf("settings %v: analyzers %v, want %s and not %s", tc.settings, ns, tc.want, tc.not)
		}
	}
}
