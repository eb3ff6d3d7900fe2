package advise

import (
	"fmt"
	"slices"
	"strings"
)

// Loop is the dependence verdict of one loop of the target's source, as the
// rules computed it from the typed syntax (rules/lint.Loop): whether running
// its iterations concurrently keeps the program's meaning.
type Loop struct {
	File    string // relative to the module root, like findings
	Line    int    // of the for statement
	EndLine int
	// Verdict is LoopIndependent, LoopReduction, LoopOrdered or
	// LoopDependent.
	Verdict string
	// Reason: why the loop is dependent or ordered, or its reductions.
	Reason string
	// AlreadyConcurrent: the loop already starts a goroutine per item.
	AlreadyConcurrent bool
	// OrderLines are the lines of the body's ordered effects: what a call
	// on one of them does stays in order when the rest runs concurrently.
	OrderLines []int
}

// Loop verdicts.
const (
	LoopIndependent = "independent"
	LoopReduction   = "reduction"
	LoopOrdered     = "ordered"
	LoopDependent   = "dependent"
)

// loopAt returns the verdict of the loop whose for statement is at
// file:line, if the rules saw it.
func (m *model) loopAt(file string, line int) (Loop, bool) {
	for _, l := range m.o.Loops {
		if l.Line == line && l.File == file {
			return l, true
		}
	}
	return Loop{}, false
}

// loopContaining returns the verdict of the innermost loop of file that
// holds line (a call site the profile saw, when the loop itself was not).
func (m *model) loopContaining(file string, line int) (Loop, bool) {
	var best Loop
	found := false
	for _, l := range m.o.Loops {
		if l.File == file && l.Line <= line && line <= l.EndLine && (!found || l.Line >= best.Line) {
			best, found = l, true
		}
	}
	return best, found
}

// precondition is what the loop analysis says about running a loop's
// iterations concurrently.
type precondition struct {
	// drop: no concurrency advice at all; why says so in a note.
	drop bool
	why  string
	// loop and reason, for a dependent loop: where it is and why its
	// iterations cannot run at once (noteDropped merges them into one note).
	loop, reason string
	// proven: the loop was analyzed and allows it; clause then replaces
	// the "if its iterations are independent" hedge.
	proven bool
	clause string
}

// dependentLeft is what the note on a dependent loop says is left to do.
const dependentLeft = "what is left is to reduce the work in each iteration, a faster algorithm, or PGO"

// noteDropped adds the notes of the loops that got no concurrency advice:
// one note per loop that already runs concurrently, and one note listing
// every dependent loop with its reason (a parser's run has several, and a
// note per loop buried the rest of the notes).
func (m *model) noteDropped(pres []precondition) {
	var notes, deps []string
	for _, p := range pres {
		switch {
		case p.loop == "":
			notes = append(notes, p.why)
		case !slices.ContainsFunc(deps, func(d string) bool { return strings.HasPrefix(d, p.loop+": ") }):
			deps = append(deps, p.loop+": "+p.reason)
		}
	}
	switch len(deps) {
	case 0:
	case 1:
		for _, p := range pres {
			if p.loop != "" {
				notes = append(notes, p.why)
				break
			}
		}
	default:
		notes = append(notes, fmt.Sprintf("no concurrency advice for %d loops whose iterations cannot run at once (%s): the loop at %s", len(deps), dependentLeft, strings.Join(deps, "; the loop at ")))
	}
	for _, n := range notes {
		if !slices.Contains(m.r.Errors, n) {
			m.r.Errors = append(m.r.Errors, n)
		}
	}
}

// concurrencyPrecondition looks the loop of g up. Without a verdict (the
// loop was not seen, or the rules did not run) the advice stays hedged and
// ranks below proven advice.
func (m *model) concurrencyPrecondition(g *loopGroup) precondition {
	var l Loop
	var ok bool
	switch {
	case g.at.loop:
		l, ok = m.loopAt(g.at.file, g.at.line)
	case g.at.siteSeen:
		l, ok = m.loopContaining(g.at.file, g.at.line)
	}
	if !ok {
		return precondition{}
	}
	at := where(g.at.fn, g.at.file, g.at.line)
	switch {
	case l.AlreadyConcurrent:
		return precondition{drop: true, why: fmt.Sprintf("the loop at %s already starts a goroutine per iteration: more goroutines cannot help; what limits it is the work (or the peer) each one waits for", at)}
	case l.Verdict == LoopDependent:
		return precondition{drop: true, loop: at, reason: l.Reason, why: fmt.Sprintf("no concurrency advice for the loop at %s: %s, so its iterations cannot run at once; %s", at, l.Reason, dependentLeft)}
	case l.Verdict == LoopReduction:
		return precondition{proven: true, clause: fmt.Sprintf("its iterations are independent apart from %s: give each worker its own partial result and combine the partials after Wait", strings.TrimSpace(l.Reason))}
	case l.Verdict == LoopOrdered:
		return precondition{proven: true, clause: fmt.Sprintf("its computation is independent, but %s: compute concurrently into a results slice indexed by iteration, then do that part in the original order", strings.TrimSpace(l.Reason))}
	}
	return precondition{proven: true, clause: "its iterations are independent (advisor's loop analysis found no loop-carried variable, shared write or ordered effect)"}
}
