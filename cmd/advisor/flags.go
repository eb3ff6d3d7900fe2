package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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

// secondsValue is a duration flag that also takes a plain number of seconds
// ("--seconds 10", as net/http/pprof's ?seconds=10 does), which a
// pflag.Duration refuses.
type secondsValue struct{ d *time.Duration }

func (v secondsValue) String() string {
	if v.d == nil || *v.d == 0 {
		return "0s"
	}
	return v.d.String()
}

func (v secondsValue) Set(s string) error {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		*v.d = time.Duration(n * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration (10s, 1m30s) or a number of seconds", s)
	}
	*v.d = d
	return nil
}

func (v secondsValue) Type() string { return "duration" }
