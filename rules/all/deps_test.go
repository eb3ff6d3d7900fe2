package all_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeanDependencies keeps the analyzers cheap to vendor and to load as a
// vet tool or a golangci-lint plugin: the rules, advisor-vet and the plugin
// must not link the profiling, tracing, benchmark-statistics or config
// libraries that only cmd/advisor needs. A new import that drags one in
// fails here rather than in a user's go.sum.
func TestLeanDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not available:", err)
	}
	out, err := exec.Command(gocmd, "list", "-deps",
		"github.com/advisor-dev/advisor/rules/all",
		"github.com/advisor-dev/advisor/cmd/advisor-vet",
		"github.com/advisor-dev/advisor/rules/golangci",
	).Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{
		"github.com/google/pprof",
		"golang.org/x/exp/trace",
		"golang.org/x/perf",
		"yaml",
		"jsonschema",
	}
	for dep := range strings.FieldsSeq(string(out)) {
		for _, f := range forbidden {
			if strings.Contains(dep, f) {
				t.Errorf("the analyzers depend on %s (matches %q); keep it out of rules and advisor-vet", dep, f)
			}
		}
	}
}
