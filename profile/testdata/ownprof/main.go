// Command ownprof starts its own CPU profile and trace, as programs with a
// --cpuprofile flag do; it fails if profiling is already on.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

func work(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i % 7
	}
	return s
}

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	tr := flag.String("trace", "", "write an execution trace to `file`")
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "could not start CPU profile:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *tr != "" {
		f, err := os.Create(*tr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := trace.Start(f); err != nil {
			fmt.Fprintln(os.Stderr, "could not start trace:", err)
			os.Exit(1)
		}
		defer trace.Stop()
	}
	fmt.Println("ownprof", work(50_000_000))
}
