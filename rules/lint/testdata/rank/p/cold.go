package p

import (
	"fmt"
	"io"
	"log"
	"sort"
)

const debug = false

type Path []string

// String is all that calls describe.
func (p Path) String() string { return describe(p) }

func describe(p Path) string {
	s := ""
	for _, w := range p {
		s += w // hidden: cold callers (only String)
	}
	return s
}

// Validate builds its message with summarize only when it fails.
func Validate(words []string) error {
	if len(words) == 0 {
		return nil
	}
	return fmt.Errorf("bad words: %s", summarize(words))
}

func summarize(words []string) string {
	s := ""
	for _, w := range words {
		s += w // hidden: cold callers (only an Errorf argument)
	}
	return s
}

// Trace logs under a debug switch, through two helpers.
func Trace(words []string) {
	if debug {
		log.Printf("words: %s", outer(words))
	}
}

func outer(words []string) string { return inner(words) + "." }

func inner(words []string) string {
	s := ""
	for _, w := range words {
		s += w // hidden: cold callers (through outer, under if debug)
	}
	return s
}

// Verbose builds text right under the switch.
func Verbose(words []string, verbose bool) {
	if verbose {
		s := ""
		for _, w := range words {
			s += w // hidden: debug output
		}
		fmt.Println(s)
	}
}

// Near misses, shown.

// Enabled is a switch not named for debugging.
func Enabled(words []string, enabled bool) string {
	s := ""
	if enabled {
		for _, w := range words {
			s += w // shown
		}
	}
	return s
}

// Both calls mixed: an error path and the hot path.
func Mixed(words []string) (string, error) {
	if len(words) > 10 {
		return "", fmt.Errorf("too many: %s", mixed(words))
	}
	return mixed(words), nil
}

func mixed(words []string) string {
	s := ""
	for _, w := range words {
		s += w // shown: also called on the normal path
	}
	return s
}

// Label is exported: callers outside the package are unknown.
func (p Path) GoString() string { return Label(p) }

func Label(p Path) string {
	s := ""
	for _, w := range p {
		s += w // shown: exported
	}
	return s
}

// A function value may run anywhere.
func SortedBy(words []string) {
	sort.Slice(words, byLen(words))
	_ = fmt.Errorf("%v", byLen(words))
}

func byLen(words []string) func(i, j int) bool {
	s := ""
	for _, w := range words {
		s += w // shown: one caller is ordinary (sort.Slice's argument is not a report)
	}
	_ = s
	return func(i, j int) bool { return len(words[i]) < len(words[j]) }
}

// A helper passed as a value from an error path still counts as hot.
func Walk(words []string) error {
	if len(words) == 0 {
		return fmt.Errorf("empty: %v", apply(words, visit))
	}
	return nil
}

func apply(words []string, f func(string) string) string { return f(words[0]) }

func visit(w string) string {
	s := ""
	for _, r := range w {
		s += string(r) // shown: visit is a function value
	}
	return s
}

// Recursion alone is no caller.
func Nest(words []string) string { return nest(words, 0) }

func nest(words []string, i int) string {
	if i == len(words) {
		return ""
	}
	s := ""
	for _, w := range words {
		s += w // shown: Nest calls it on the normal path
	}
	return s + nest(words, i+1)
}

// Find works in a block that returns on success before it fails at its
// end: not an error path.
func Find(words []string, w string) (string, error) {
	if len(words) > 0 {
		s := ""
		for _, x := range words {
			s += x // shown
		}
		if s == w {
			return s, nil
		}
		return "", fmt.Errorf("not found")
	}
	return "", nil
}

// An error-building type's methods take error text.
type listError struct{ msgs []string }

func (e *listError) addf(format string, args ...any) {
	e.msgs = append(e.msgs, fmt.Sprintf(format, args...))
}

// Arity reports a mismatch through listError.
func Arity(have, want []string) *listError {
	if len(have) == len(want) {
		return nil
	}
	err := &listError{}
	err.addf("have %s", typesOf(have))
	err.addf("want %s", typesOf(want))
	return err
}

func typesOf(words []string) string {
	s := ""
	for _, w := range words {
		s += w // hidden: cold callers (only listError.addf arguments)
	}
	return s
}

// printUsage builds help text: once per invocation.
func printUsage(w io.Writer, flags []string) {
	s := ""
	for _, f := range flags {
		s += f // hidden: help text
	}
	fmt.Fprintln(w, s)
}

// Helper is not help text.
func Helper(flags []string) string {
	s := ""
	for _, f := range flags {
		s += f // shown
	}
	return s
}

// Collect gathers its errors instead of returning the first.
func Collect(words []string, known []string) []error {
	var errs []error
	for _, w := range words {
		if len(w) > 10 {
			s := ""
			for _, k := range known {
				s += k // hidden: error path (the block ends by recording an error)
			}
			errs = append(errs, fmt.Errorf("%q is not one of %s", w, s))
		}
	}
	return errs
}

type checker struct{ n int }

func (c *checker) errorf(format string, args ...any) { c.n++ }

// Names reports unknown names through the checker's errorf.
func (c *checker) Names(words, known []string) {
	for _, w := range words {
		if len(w) > 10 {
			s := ""
			for _, k := range known {
				s += k // hidden: error path
			}
			c.errorf("%q is not one of %s", w, s)
		}
	}
}

// Kept appends ordinary values at the end of its block: shown.
func Kept(words, known []string) []string {
	var out []string
	for _, w := range words {
		if len(w) > 10 {
			s := ""
			for _, k := range known {
				s += k // shown
			}
			out = append(out, s)
		}
	}
	return out
}
