// Command flags has its own initialization and flag parsing; it echoes its
// arguments, its stdin line count, an environment variable and how many
// of the profiler's variables leaked into its environment, and exits
// with the code given by -code.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
)

var initialized string

func init() { initialized = "init ran" }

func main() {
	code := flag.Int("code", 0, "exit code")
	flag.Parse()
	lines := 0
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		lines++
	}
	hookVars := 0
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ADVISOR_HOOK_") {
			hookVars++
		}
	}
	fmt.Printf("%s; args=%q; lines=%d; env=%s; hook vars=%d\n", initialized, flag.Args(), lines, os.Getenv("FLAGS_TEST_VAR"), hookVars)
	fmt.Fprintln(os.Stderr, "to stderr")
	os.Exit(*code)
}
