// Command flags has its own initialization and flag parsing; it echoes its
// arguments, its stdin line count and an environment variable, and exits
// with the code given by -code.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
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
	fmt.Printf("%s; args=%q; lines=%d; env=%s\n", initialized, flag.Args(), lines, os.Getenv("FLAGS_TEST_VAR"))
	fmt.Fprintln(os.Stderr, "to stderr")
	os.Exit(*code)
}
