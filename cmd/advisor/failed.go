package main

import (
	"os"

	"github.com/advisor-dev/advisor/cmd/advisor/internal/cli"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/measure"
	"github.com/advisor-dev/advisor/cmd/advisor/internal/render"
	advprofile "github.com/advisor-dev/advisor/profile"
)

// failRun reports a run that produced no report: the one-line error on
// stderr (with the go command's output, as cli.PrintError prints it) and,
// under --format json, still one advisor/v1 document whose errors say why,
// so that a script reading the JSON never gets an empty stdout. res is what
// was collected, nil if nothing ran.
func failRun(e *env, f *profileFlags, pkg string, args []string, res *advprofile.Result, err error) int {
	rep, err := measure.Failure(pkg, args, res, err)
	code := cli.PrintError(e.stderr, err)
	if f.format != "json" {
		return code
	}
	w := e.stdout
	if f.output != "" {
		out, err := os.Create(f.output)
		if err != nil {
			return code // the error is said; -o is unwritable too
		}
		defer out.Close()
		w = out
	}
	// The error is already on stderr; a failed write of the document (a
	// closed pipe) has nothing more to say.
	_ = render.JSON(w, rep)
	return code
}
