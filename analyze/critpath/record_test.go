package critpath

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// recorded caches the traces of testdata programs, by name and size.
var recorded struct {
	sync.Mutex
	m map[string][]byte
}

// recordTrace builds testdata/<name> with testdata/hook.go.txt added by a
// build overlay, runs it, and returns the trace it wrote. env is added to
// the program's environment. The result is cached for the test binary.
func recordTrace(tb testing.TB, name string, env ...string) []byte {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs a program")
	}
	key := name + "\x00" + filepath.Join(env...)
	recorded.Lock()
	defer recorded.Unlock()
	if b, ok := recorded.m[key]; ok {
		return b
	}
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	hook, err := filepath.Abs(filepath.Join("testdata", "hook.go.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	tmp := tb.TempDir()
	ov, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "0000_hook.go"): hook}})
	if err != nil {
		tb.Fatal(err)
	}
	overlay := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlay, ov, 0o644); err != nil {
		tb.Fatal(err)
	}
	bin := filepath.Join(tmp, name)
	build := exec.Command("go", "build", "-overlay", overlay, "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building %s: %v\n%s", name, err, out)
	}
	out := filepath.Join(tmp, name+".trace")
	run := exec.Command(bin)
	run.Env = append(append(os.Environ(), "CRITPATH_TRACE="+out, "GOMAXPROCS=2"), env...)
	if b, err := run.CombinedOutput(); err != nil {
		tb.Fatalf("running %s: %v\n%s", name, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	if recorded.m == nil {
		recorded.m = make(map[string][]byte)
	}
	recorded.m[key] = b
	return b
}
