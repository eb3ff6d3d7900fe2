package main

// A stand-in for profile's injected hook: the same naming (advisorHook
// prefix, file sorting first) and the same kind of work (tracer and CPU
// profiler running, plus a goroutine of its own), so that tests can check
// that none of it is reported as the program's.

import (
	"os"
	"runtime/pprof"
	"runtime/trace"
	"time"
)

var advisorHookFiles = advisorHookStart()

// advisorHookState is the hook's state; its methods are hook code too.
type advisorHookState struct {
	done chan struct{}
}

var advisorHook = &advisorHookState{done: make(chan struct{})}

func advisorHookStart() [2]*os.File {
	tf, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	cf, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	if err := trace.Start(tf); err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(cf); err != nil {
		panic(err)
	}
	go advisorHook.tick()
	return [2]*os.File{tf, cf}
}

// tick wakes up now and then, like a hook watching a deadline.
func (s *advisorHookState) tick() {
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.done:
			return
		}
	}
}

func advisorHookStop() {
	close(advisorHook.done)
	pprof.StopCPUProfile()
	trace.Stop()
	for _, f := range advisorHookFiles {
		f.Close()
	}
}
