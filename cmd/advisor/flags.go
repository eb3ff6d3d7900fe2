package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// flagGroup names a set of flags shown together in -h output.
type flagGroup struct {
	title string
	names []string
}

// printGroupedUsage prints fs's flags grouped by purpose, like `go help build`
// groups its flags, followed by examples. Flags not in any group are listed
// last so none is ever hidden.
func printGroupedUsage(w io.Writer, fs *pflag.FlagSet, synopsis string, groups []flagGroup, examples string) {
	fmt.Fprintf(w, "usage: %s\n", synopsis)
	seen := map[string]bool{}
	for _, g := range groups {
		sub := pflag.NewFlagSet(g.title, pflag.ContinueOnError)
		for _, n := range g.names {
			if f := fs.Lookup(n); f != nil {
				sub.AddFlag(f)
				seen[n] = true
			}
		}
		if !sub.HasFlags() {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n%s", g.title, sub.FlagUsages())
	}
	rest := pflag.NewFlagSet("other", pflag.ContinueOnError)
	fs.VisitAll(func(f *pflag.Flag) {
		if !seen[f.Name] {
			rest.AddFlag(f)
		}
	})
	if rest.HasFlags() {
		fmt.Fprintf(w, "\nOther:\n%s", rest.FlagUsages())
	}
	if examples != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(examples, "\n"))
	}
}

// splitDash separates the positional arguments before "--" from the target's
// arguments after it.
func splitDash(fs *pflag.FlagSet) (before, after []string) {
	args := fs.Args()
	if at := fs.ArgsLenAtDash(); at >= 0 {
		return args[:at], args[at:]
	}
	return args, nil
}
