// Command loaded is the work of testdata/fib (the naive overlapping
// recursion) in a program that first loads the machine with busy-loop child
// processes (-load, default 2: as many as a 2-core machine has cores).
// advisor demo: the neighbours take CPU away from the target, so its trace
// shows it "running" longer than the CPU it got. A correct tool reports the
// same class (cpu), top (main.fib) and first advice (cache) as with -load 0,
// CPU seconds within 20% of the unloaded run's, and says the machine was busy.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
)

// burnFlag turns the binary into a busy-loop child (see burn).
const burnFlag = "-loaded-burn"

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// burn spins until the parent closes its stdin. It reads stdin in a
// goroutine so the loop itself never blocks: a pure CPU hog, like a
// neighbouring build or test run.
func burn() {
	go func() {
		var b [1]byte
		os.Stdin.Read(b[:])
		os.Exit(0)
	}()
	x := uint64(1)
	for {
		x = x*6364136223846793005 + 1442695040888963407
	}
}

// startLoad starts n busy-loop children and returns a function that stops
// them. They are separate processes so that they compete with the target for
// the OS's cores, not for the Go scheduler's Ps.
func startLoad(n int) (stop func(), err error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var cmds []*exec.Cmd
	stop = func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	}
	for range n {
		c := exec.Command(exe, burnFlag)
		if _, err := c.StdinPipe(); err != nil {
			stop()
			return nil, err
		}
		if err := c.Start(); err != nil {
			stop()
			return nil, err
		}
		cmds = append(cmds, c)
	}
	return stop, nil
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == burnFlag {
		burn()
	}
	n := flag.Int("n", 40, "which Fibonacci number to compute")
	load := flag.Int("load", 2, "busy-loop processes to run beside the work")
	flag.Parse()
	stop, err := startLoad(*load)
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	fmt.Printf("fib(%d) = %d\n", *n, fib(*n))
}
