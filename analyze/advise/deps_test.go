package advise

import (
	"strings"
	"testing"
)

func TestHotDependency(t *testing.T) {
	p := buildProfile(t,
		stack(70, "github.com/yuin/goldmark/parser.(*parser).Parse /m/parser.go:10", "main.render /p/main.go:12", "main.main /p/main.go:20"),
		stack(20, "strings.Index /go/src/strings/strings.go:1", "main.render /p/main.go:13"),
		stack(10, "runtime.mallocgc /go/src/runtime/malloc.go:1"))
	own := func(pkg string) bool { return pkg == "main" }
	d, ok := HotDependency(p, own, 0.5)
	if !ok || d.Module != "github.com/yuin/goldmark" || d.Caller != "main.render" || d.Share < 0.69 || d.Share > 0.71 {
		t.Fatalf("HotDependency = %+v, %v; want goldmark 70%% under main.render", d, ok)
	}
	if n := d.Note(); !strings.Contains(n, "--own github.com/yuin/goldmark/...") || !strings.Contains(n, "parser.(*parser).Parse 70") {
		t.Errorf("note %q", n)
	}
	if _, ok := HotDependency(p, own, 0.8); ok {
		t.Error("70% reported as a dependency holding at least 80%")
	}
	if _, ok := HotDependency(p, func(pkg string) bool { return pkg == "main" || strings.HasPrefix(pkg, "github.com/yuin/goldmark") }, 0.5); ok {
		t.Error("a dependency made own by --own is still reported")
	}
}
