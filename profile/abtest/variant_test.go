package abtest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advisor-dev/advisor/profile"
)

// verifyModule writes a tiny module with a main package and a test, and
// returns its directory.
func verifyModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/v\n\ngo 1.26\n",
		"main.go": `package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "fail" {
		os.Exit(3)
	}
	fmt.Println("v1", Sum(4))
}
`,
		"sum.go": "package main\n\n// Sum adds the integers below n.\nfunc Sum(n int) int {\n\ts := 0\n\tfor i := range n {\n\t\ts += i\n\t}\n\treturn s\n}\n",
		"sum_test.go": `package main

import "testing"

func TestSum(t *testing.T) {
	if got := Sum(4); got != 6 {
		t.Fatalf("Sum(4) = %d, want 6", got)
	}
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runBin(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	return string(out)
}

func TestVariantOverlay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a module")
	}
	ctx := context.Background()
	dir := verifyModule(t)
	mainGo, sumGo := filepath.Join(dir, "main.go"), filepath.Join(dir, "sum.go")
	before := map[string][]byte{}
	for _, f := range []string{mainGo, sumGo} {
		before[f], _ = os.ReadFile(f)
	}
	base := Variant{Dir: dir, Package: ".", WorkDir: t.TempDir()}

	orig, err := BuildVariant(ctx, base, "orig")
	if err != nil {
		t.Fatal(err)
	}
	if got := runBin(t, orig); got != "v1 6\n" {
		t.Errorf("original prints %q", got)
	}
	v2 := base
	v2.Overlay = map[string][]byte{mainGo: bytes.Replace(before[mainGo], []byte(`"v1"`), []byte(`"v2"`), 1)}
	bin, err := BuildVariant(ctx, v2, "v2")
	if err != nil {
		t.Fatal(err)
	}
	if got := runBin(t, bin); got != "v2 6\n" {
		t.Errorf("overlay build prints %q, want the overlay's output", got)
	}
	if err := Vet(ctx, v2); err != nil {
		t.Errorf("vet of a clean overlay: %v", err)
	}
	if ran, err := Test(ctx, v2, false); err != nil || !ran {
		t.Errorf("tests of a clean overlay: ran %v, %v", ran, err)
	}

	broken := base
	broken.Overlay = map[string][]byte{sumGo: bytes.Replace(before[sumGo], []byte("s += i"), []byte("s += i + 1"), 1)}
	ran, err := Test(ctx, broken, false)
	var ue *profile.UserError
	if !ran || !errors.As(err, &ue) || !strings.Contains(ue.Msg, "TestSum") {
		t.Errorf("tests of a breaking overlay: ran %v, err %v; want a failure naming TestSum", ran, err)
	}
	vetBad := base
	vetBad.Overlay = map[string][]byte{mainGo: bytes.Replace(before[mainGo], []byte(`fmt.Println("v1", Sum(4))`), []byte(`fmt.Printf("%d\n", "x")`), 1)}
	if err := Vet(ctx, vetBad); err == nil {
		t.Error("vet passed a Printf with a wrong verb")
	}
	noBuild := base
	noBuild.Overlay = map[string][]byte{sumGo: []byte("package main\n\nfunc Sum(n int) int { return undefined }\n")}
	if _, err := BuildVariant(ctx, noBuild, "nobuild"); !errors.As(err, &ue) || !strings.Contains(ue.Output, "undefined") {
		t.Errorf("build of a broken overlay: %v", err)
	}
	for f, b := range before {
		if now, _ := os.ReadFile(f); !bytes.Equal(now, b) {
			t.Errorf("%s changed on disk", f)
		}
	}
}

func TestBinaries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	ctx := context.Background()
	dir := verifyModule(t)
	base := Variant{Dir: dir, Package: ".", WorkDir: t.TempDir()}
	a, err := BuildVariant(ctx, base, "a")
	if err != nil {
		t.Fatal(err)
	}
	mainGo := filepath.Join(dir, "main.go")
	src, _ := os.ReadFile(mainGo)
	v := base
	v.Overlay = map[string][]byte{mainGo: bytes.Replace(src, []byte(`"v1"`), []byte(`"v2"`), 1)}
	b, err := BuildVariant(ctx, v, "b")
	if err != nil {
		t.Fatal(err)
	}

	shuffles, progress := 0, 0
	res, err := Binaries(ctx, BinariesOptions{
		Binaries: []string{a, b}, Rounds: 4,
		Shuffle:  func(n int, swap func(i, j int)) { shuffles++; swap(0, 1) },
		Progress: func(round, rounds int) { progress++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Seconds[0]) != 4 || len(res.Seconds[1]) != 4 || shuffles != 4 || progress != 4 || res.Stopped {
		t.Errorf("got %d and %d runs, %d shuffles, %d progress calls, stopped %v; want 4 each", len(res.Seconds[0]), len(res.Seconds[1]), shuffles, progress, res.Stopped)
	}
	if string(res.Output[0]) != "v1 6\n" || string(res.Output[1]) != "v2 6\n" {
		t.Errorf("outputs %q, %q", res.Output[0], res.Output[1])
	}
	for _, s := range append(res.Seconds[0], res.Seconds[1]...) {
		if s <= 0 {
			t.Errorf("non-positive time %v", s)
		}
	}

	if _, err := Binaries(ctx, BinariesOptions{Binaries: []string{a}, Args: []string{"fail"}, Rounds: 2}); err == nil {
		t.Error("a binary exiting 3: want an error")
	}
	// A program that exits non-zero by design is measured when that is
	// the status it was profiled with, and only then.
	if res, err := Binaries(ctx, BinariesOptions{Binaries: []string{a}, Args: []string{"fail"}, Rounds: 2, WantExit: 3}); err != nil || len(res.Seconds[0]) != 2 {
		t.Errorf("a binary exiting 3 as wanted: %+v, %v", res, err)
	}
	if _, err := Binaries(ctx, BinariesOptions{Binaries: []string{a}, Rounds: 1, WantExit: 3}); err == nil || !strings.Contains(err.Error(), "exit status 0, not 3") {
		t.Errorf("a binary exiting 0 where 3 is wanted: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	res, err = Binaries(cancelled, BinariesOptions{Binaries: []string{a, b}, Rounds: 3})
	if err != nil || !res.Stopped || len(res.Seconds[0]) != 0 {
		t.Errorf("cancelled: %+v, %v; want stopped with no runs", res, err)
	}
	if _, err := Binaries(ctx, BinariesOptions{Rounds: 1}); err == nil {
		t.Error("no binaries: want an error")
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and profiles a module")
	}
	ctx := context.Background()
	dir := verifyModule(t)
	mainGo := filepath.Join(dir, "main.go")
	src, _ := os.ReadFile(mainGo)
	base := Variant{Dir: dir, Package: ".", WorkDir: t.TempDir()}
	few, err := Allocs(ctx, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	many := base
	many.Overlay = map[string][]byte{mainGo: bytes.Replace(src, []byte("func main() {\n"),
		[]byte("var sink *[1024]byte\n\nfunc main() {\n\tfor range 200000 {\n\t\tsink = new([1024]byte)\n\t}\n"), 1)}
	lots, err := Allocs(ctx, many, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("allocs: %.0f before, %.0f after", few, lots)
	if lots < few+190000 || lots > few+210000 {
		t.Errorf("200000 extra allocations measured as %.0f → %.0f", few, lots)
	}
}
