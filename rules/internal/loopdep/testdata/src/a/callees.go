package a

import (
	"fmt"
	"log"
	"os"
	"strconv"
)

// Callees followed for side effects that order a loop (issue 12, item 4).

func emit(x int) { os.Stdout.WriteString(strconv.Itoa(x) + "\n") }

// A callee writes to os.Stdout directly.
func emitAll(xs []int) {
	for _, x := range xs { // want `loop: ordered: emit prints to standard output \(os.Stdout.WriteString\) in iteration order`
		emit(x)
	}
}

func logIt(x int) { log.Printf("x=%d", x) }

func logStep(x int) int {
	logIt(x)
	return x * 2
}

// Two calls deep, log.Printf.
func stepAll(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs { // want `loop: ordered: logStep prints to standard output \(log.Printf\) in iteration order`
		out[i] = logStep(x)
	}
	return out
}

func checkOrExit(x int) int {
	if x < 0 {
		fmt.Fprintln(os.Stderr, "negative")
		os.Exit(2)
	}
	return x
}

// A callee that exits.
func checkAll(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs { // want `loop: ordered: checkOrExit`
		out[i] = checkOrExit(x)
	}
	return out
}

func pure(x int) int { return x * x }

// Near miss: a callee without effects keeps the loop independent.
func pureAll(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = pure(x)
	}
	return out
}

// Near miss: printing to a buffer of its own is no output.
func formatted(xs []int) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprint(x)
	}
	return out
}
