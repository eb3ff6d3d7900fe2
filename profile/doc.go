// Package profile builds and runs a Go program under the CPU profiler and
// the execution tracer without touching its source, and collects profiles
// from benchmarks, live net/http/pprof servers and existing files. It
// knows nothing about rules or reports: it produces files and a Result,
// and the analyze package reads them.
//
// # How a run is profiled
//
// Build resolves the package with go list and runs go build -overlay,
// adding one file, HookFile ("0000_advisor_hook.go"), to the main package;
// the user's tree is never written and the binary lives in a temporary
// directory. The hook uses only the standard library. Its package-level
// initializer runs before the package's own variables and init functions
// (the file sorts first), and starts:
//
//   - the CPU profiler (cpu.pprof),
//   - the execution tracer (trace.out), which also records CPU samples,
//     and stops once the trace reaches its size limit (TraceFirst), or
//     keeps only the last window in a flight recorder (TraceLast),
//   - mutex profiling (1 in 5 contention events) and, if asked for,
//     block profiling, written at the end with an allocation profile
//     (mutex.pprof, block.pprof, allocs.pprof).
//
// It registers a flush with the runtime's exit hooks through
// //go:linkname to internal/runtime/exithook.Add (which needs
// -ldflags=-checklinkname=0, appended to the user's -ldflags), so
// returning from main and os.Exit both write complete profiles. If that
// link fails on some Go version, Build falls back to a hook without it and
// says so in Target.Warnings.
//
// Panics, fatal errors and signals skip exit hooks. The trace is streamed
// to disk, and the runtime is asked (GODEBUG=traceadvanceperiod) to finish
// a trace generation every 250ms, so the trace up to the last complete
// generation survives a crash, CPU samples included; the CPU profile file
// does not (Result.Crashed, Result.Partial and Result.Warnings say so).
//
// # Protocol between advisor and the hook
//
// Everything passes through the target's environment and two inherited
// file descriptors, so one build serves any number of runs and no signal
// of the program's is taken over. The hook removes these variables from
// its environment after reading them, so a program that re-executes itself
// does not profile into the same files.
//
//	ADVISOR_HOOK_DIR             output directory (the hook is inert without it)
//	ADVISOR_HOOK_TRACE_LIMIT     trace size limit in bytes
//	ADVISOR_HOOK_TRACE_MODE      "last": keep the last window (TraceLast)
//	ADVISOR_HOOK_SECONDS         stop collecting after this many nanoseconds
//	ADVISOR_HOOK_BLOCK_RATE      runtime.SetBlockProfileRate argument (unset: off)
//	ADVISOR_HOOK_MUTEX_FRACTION  runtime.SetMutexProfileFraction argument
//	ADVISOR_HOOK_FDS             "3,4": a control pipe (advisor writes "stop")
//	                             and an acknowledgement pipe (the hook writes
//	                             "stopped <reason>" once it has flushed)
//
// The hook writes meta.json when it starts and again when it flushes:
// GOMAXPROCS, start and end times (so Result.Wall excludes build and
// process start), why collection stopped ("exit", "stopped", "seconds"),
// when the trace stopped if it hit its limit, and errors.
//
// On Options.Timeout (or cancellation) advisor asks the hook to flush,
// then interrupts the target (SIGINT), then kills it, each step after
// Options.Grace. After Options.Seconds the hook flushes by itself and the
// target is interrupted the same way.
//
// # Limitations
//
// A target that starts its own CPU profile or execution trace gets an
// error from runtime/pprof or runtime/trace (only one of each can run).
// Running targets is not supported on Windows (FromURL and Import are).
// With a size-limited trace, the trace covers the start of the run
// (Result.TraceWall) and the CPU profile all of it.
package profile
