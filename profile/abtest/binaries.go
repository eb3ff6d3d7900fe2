package abtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/advisor-dev/advisor/profile"
)

// BinariesOptions configures interleaved runs of several executables.
type BinariesOptions struct {
	// Binaries are the executables; all run with the same Args in Dir.
	Binaries []string
	Args     []string
	Dir      string
	// Env is the environment; nil means the process's.
	Env []string
	// Rounds is the number of rounds; each round runs every binary once, in
	// a freshly shuffled order.
	Rounds int
	// Shuffle permutes each round's order; nil means math/rand/v2.Shuffle.
	Shuffle func(n int, swap func(i, j int))
	// Progress, if non-nil, is called after each round.
	Progress func(round, rounds int)
	// KeepOutput keeps the standard output of every run in
	// BinariesResult.Outputs (for benchmark results).
	KeepOutput bool
	// WantExit is the exit status every run must end with: 0, or the status
	// the program exits with by design (jsonnetfmt --test exits 2 when a
	// file would change), so that such a program can be measured too.
	WantExit int
}

// BinariesResult holds the wall-clock seconds of every completed run.
type BinariesResult struct {
	// Seconds[i] are the times of Binaries[i], one per completed round.
	Seconds [][]float64
	// Output[i] is the standard output of Binaries[i] in the first round.
	Output [][]byte
	// Outputs[i][r] is the standard output of Binaries[i] in round r, with
	// KeepOutput.
	Outputs [][][]byte
	// Stopped reports that ctx ended before all rounds ran (the budget, or
	// an interrupt); the rounds completed before are kept.
	Stopped bool
}

// Binaries runs the binaries o.Rounds times each, interleaved: every round
// runs each binary once in shuffled order, so that drift in the machine's
// speed affects all of them alike. A run that exits with another status
// than o.WantExit is an error (a *profile.UserError); when ctx ends, the
// rounds completed so far are returned.
func Binaries(ctx context.Context, o BinariesOptions) (*BinariesResult, error) {
	if len(o.Binaries) == 0 || o.Rounds < 1 {
		return nil, errors.New("ab: need binaries and at least one round")
	}
	shuffle := o.Shuffle
	if shuffle == nil {
		shuffle = rand.Shuffle
	}
	res := &BinariesResult{Seconds: make([][]float64, len(o.Binaries)), Output: make([][]byte, len(o.Binaries))}
	if o.KeepOutput {
		res.Outputs = make([][][]byte, len(o.Binaries))
	}
	order := make([]int, len(o.Binaries))
	for i := range order {
		order[i] = i
	}
	for round := range o.Rounds {
		shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		times := make([]float64, len(o.Binaries))
		outs := make([][]byte, len(o.Binaries))
		for _, b := range order {
			var stdout, stderr bytes.Buffer
			cmd := exec.CommandContext(ctx, o.Binaries[b], o.Args...)
			cmd.Dir, cmd.Env = o.Dir, o.Env
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			err := cmd.Run()
			elapsed := time.Since(start)
			if ctx.Err() != nil {
				res.Stopped = true
				return res, nil
			}
			var exit *exec.ExitError
			if o.WantExit != 0 && errors.As(err, &exit) && exit.ExitCode() == o.WantExit {
				err = nil
			} else if err == nil && o.WantExit != 0 {
				err = fmt.Errorf("exit status 0, not %d as when profiled", o.WantExit)
			}
			if err != nil {
				return nil, goFailure(fmt.Sprintf("%s failed in round %d: %v: %s", filepath.Base(o.Binaries[b]), round+1, err, profile.SummarizeOutput(stderr.String())), stderr.String(), err)
			}
			times[b] = elapsed.Seconds()
			outs[b] = stdout.Bytes()
			if round == 0 {
				res.Output[b] = stdout.Bytes()
			}
		}
		for b, t := range times {
			res.Seconds[b] = append(res.Seconds[b], t)
			if o.KeepOutput {
				res.Outputs[b] = append(res.Outputs[b], outs[b])
			}
		}
		if o.Progress != nil {
			o.Progress(round+1, o.Rounds)
		}
	}
	return res, nil
}
