// Command advisor profiles a Go program, classifies where its time goes,
// lints the hot code and recommends what to change.
//
//	advisor [flags] <pkg> [-- args]   profile a main package and report
//	advisor lint [flags] <pkgs>       static rules only
//	advisor ci [flags] <pkgs>         benchmark base vs head, fail on regressions
//	advisor compare old.txt new.txt   compare two go test -bench outputs
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// env is everything a command may touch of the outside world, so that tests
// can run commands in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stdoutTTY/stderrTTY say whether the streams are terminals (color, progress).
	stdoutTTY, stderrTTY bool
}

// Exit codes (docs/report-schema.md).
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// subcommand is one of advisor's verbs.
type subcommand struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// subcommands lists the verbs other than the default (profiling) one.
func subcommands() []subcommand {
	return []subcommand{
		{"lint", "run the static rules", runLint},
		{"ci", "benchmark base vs head and fail on regressions", runCI},
		{"compare", "compare two go test -bench outputs", runCompare},
	}
}

func main() {
	// SIGTERM (timeout(1), CI cancellation) stops like Ctrl-C: the target is
	// stopped, the partial report printed and temporary files removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// With SIGPIPE caught, writing to a closed pipe (advisor ... | head -1)
	// fails with EPIPE instead of killing advisor before its deferred
	// clean-up removes the temporary profiles. Children still get the
	// default action: exec resets caught signals.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	e := &env{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		for _, sc := range subcommands() {
			if args[0] == sc.name {
				return sc.run(ctx, e, args[1:])
			}
		}
	}
	return runProfile(ctx, e, args)
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// errorf prints a one-line error in the go command's style and returns exitError.
func errorf(e *env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "advisor: "+format+"\n", args...)
	return exitError
}
