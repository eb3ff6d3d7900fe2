// Package cli holds the command-line helpers advisor's verbs share: flag
// groups in -h output, "--" handling, a duration flag that takes plain
// seconds, and spotting target flags passed without "--".
package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/advisor-dev/advisor/profile"
	"github.com/spf13/pflag"
)

// FlagGroup names a set of flags shown together in -h output.
type FlagGroup struct {
	Title string
	Names []string
}

// PrintGroupedUsage prints fs's flags grouped by purpose, like `go help build`
// groups its flags, followed by examples. Flags not in any group are listed
// last so none is ever hidden.
func PrintGroupedUsage(w io.Writer, fs *pflag.FlagSet, synopsis string, groups []FlagGroup, examples string) {
	fmt.Fprintf(w, "usage: %s\n", synopsis)
	seen := map[string]bool{}
	for _, g := range groups {
		sub := pflag.NewFlagSet(g.Title, pflag.ContinueOnError)
		for _, n := range g.Names {
			if f := fs.Lookup(n); f != nil {
				sub.AddFlag(f)
				seen[n] = true
			}
		}
		if !sub.HasFlags() {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n%s", g.Title, sub.FlagUsages())
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

// SplitDash separates the positional arguments before "--" from the target's
// arguments after it.
func SplitDash(fs *pflag.FlagSet) (before, after []string) {
	args := fs.Args()
	if at := fs.ArgsLenAtDash(); at >= 0 {
		return args[:at], args[at:]
	}
	return args, nil
}

// SecondsValue is a duration flag that also takes a plain number of seconds
// ("--seconds 10", as net/http/pprof's ?seconds=10 does), which a
// pflag.Duration refuses.
type SecondsValue struct{ D *time.Duration }

func (v SecondsValue) String() string {
	if v.D == nil || *v.D == 0 {
		return "0s"
	}
	return v.D.String()
}

func (v SecondsValue) Set(s string) error {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		*v.D = time.Duration(n * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration (10s, 1m30s) or a number of seconds", s)
	}
	*v.D = d
	return nil
}

func (v SecondsValue) Type() string { return "duration" }

// TargetArgsWithoutDash spots the common mistake of passing the target's
// flags without "--" (advisor ./cmd/x -n 3). It returns advisor's own
// arguments before the package, the package and the target's flags.
// Values of advisor's flags (--from http://host/ takes a URL) are never
// taken for the package.
func TargetArgsWithoutDash(fs *pflag.FlagSet, args []string) (own []string, pkg string, rest []string, ok bool) {
	for i, a := range args {
		if a == "--" {
			return nil, "", nil, false
		}
		if i > 0 && takesValue(fs, args[i-1]) {
			continue
		}
		if !strings.HasPrefix(a, "-") && (strings.HasPrefix(a, ".") || strings.Contains(a, "/")) {
			if i+1 < len(args) && strings.HasPrefix(args[i+1], "-") {
				return args[:i], a, args[i+1:], true
			}
			return nil, "", nil, false
		}
	}
	return nil, "", nil, false
}

// takesValue reports whether arg is one of fs's flags, spelled without
// "=value", that takes the next argument as its value.
func takesValue(fs *pflag.FlagSet, arg string) bool {
	if !strings.HasPrefix(arg, "-") || strings.Contains(arg, "=") {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	f := fs.Lookup(name)
	if f == nil && len(name) == 1 {
		f = fs.ShorthandLookup(name)
	}
	return f != nil && f.NoOptDefVal == ""
}

// LockedWriter serializes writes to W.
type LockedWriter struct {
	mu sync.Mutex
	W  io.Writer
}

func (l *LockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.W.Write(p)
}

// PrintError prints a failure in one line, as the go command does, plus the
// tool output (e.g. the compiler's errors) a *profile.UserError carries when
// the line does not already say it all, and returns exit code 2.
func PrintError(w io.Writer, err error) int {
	var ue *profile.UserError
	if errors.As(err, &ue) {
		fmt.Fprintf(w, "advisor: %s\n", ue.Msg)
		if out := strings.TrimSpace(ue.Output); out != "" && !strings.Contains(ue.Msg, out) {
			fmt.Fprintln(w, "\t"+strings.ReplaceAll(out, "\n", "\n\t"))
		}
		return 2
	}
	fmt.Fprintf(w, "advisor: %v\n", err)
	return 2
}

// PrintBuildFailure prints err as "advisor: verb: err", after a failed
// build's full output when err carries one (so that CI logs show the
// compiler's errors), and returns exit code 2.
func PrintBuildFailure(w io.Writer, verb string, err error) int {
	var ue *profile.UserError
	if errors.As(err, &ue) && ue.Output != "" && strings.Count(ue.Output, "\n") > 1 {
		fmt.Fprint(w, ue.Output)
		if !strings.HasSuffix(ue.Output, "\n") {
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "advisor: %s: %v\n", verb, err)
	return 2
}

// AsksJSON reports whether args, before any "--", ask for JSON output:
// --json (or -json, --json=true) or --format json (--format=json). It answers
// for command lines the flag parser refused, so that even a usage error
// prints the one JSON document a script waits for.
func AsksJSON(args []string) bool {
	for i, a := range args {
		if a == "--" {
			return false
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		switch name {
		case "json":
			if !hasVal || val == "true" || val == "1" {
				return true
			}
		case "format":
			if !hasVal && i+1 < len(args) {
				val = args[i+1]
			}
			if val == "json" {
				return true
			}
		}
	}
	return false
}
