// Package critpath finds the critical path of a Go program's run in its
// execution trace, and answers questions over it.
//
// A [Graph] is a plain data model of a trace: per goroutine, a timeline of
// [Interval]s (running, runnable, in a system call, or waiting for a
// [Category] of reason), the stack at the start of each wait, the CPU samples
// taken on it, the goroutine that ended each wait (a wake edge) and the one
// that created it (a create edge). [Read] builds it from an execution trace
// in one streaming pass; a [Builder] builds it from any other list of
// [Event]s (tests feed it synthetic ones), through the same code.
//
// [Graph.Path] walks the run backward from its end and returns the
// [Segment]s of its critical path, which sum to the wall time: running time is
// on-CPU, runnable time is scheduler latency, system calls, network and sleep
// waits are themselves; a wait on a channel, select, lock, sync.Cond or
// sync.WaitGroup ended by another goroutine continues on that goroutine back
// to when the wait began; the start of a goroutine continues on its creator.
// [Graph.PathWithin] is the same walk over one request's span (from its end
// back to its start, not to the start of the trace); [Graph.Tasks] are the
// runtime/trace tasks a program defines, one span each.
//
// Over a path, [Graph.Background] lists the goroutines never on it,
// [Fractions] splits it by category, [Concurrency.InFlight] measures how many
// goroutines shared each category with it, and [Graph.WhatIf] estimates the
// wall time if some intervals were shorter.
//
// All functions are pure: they read a Graph and never change it, so one Graph
// may be used from several goroutines at once.
package critpath
