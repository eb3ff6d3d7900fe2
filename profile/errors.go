package profile

import (
	"strconv"
	"strings"
)

// UserError is a failure caused by the user's input rather than by advisor:
// a path that does not exist, a package that is not a main package, code
// that does not compile, an unreachable URL, a file that is not a profile.
// Error returns one line, lower case, suitable for "advisor: <msg>" and exit
// code 2.
type UserError struct {
	// Msg is the one-line message.
	Msg string
	// Output is the full output of the tool that failed (for example the
	// compiler's errors), or "" if there is none.
	Output string
	// Err is the underlying cause, if any.
	Err error
}

func (e *UserError) Error() string { return e.Msg }

// Unwrap returns the underlying cause.
func (e *UserError) Unwrap() error { return e.Err }

// userError builds a *UserError with a formatted message.
func userError(msg string, output string, err error) *UserError {
	return &UserError{Msg: msg, Output: output, Err: err}
}

// summarizeOutput reduces a go command's output to its first meaningful
// line(s) for a one-line message: "# pkg" headers and blank lines are
// dropped, and the remainder is counted.
func summarizeOutput(out string) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		lines = append(lines, l)
	}
	switch len(lines) {
	case 0:
		return "no output"
	case 1:
		return lines[0]
	case 2:
		return lines[0] + "; " + lines[1]
	default:
		return lines[0] + "; " + lines[1] + " (and " + strconv.Itoa(len(lines)-2) + " more lines)"
	}
}
