// Command exit3 computes briefly, then exits with status 3.
package main

import "os"

func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i % 7
	}
	return x
}

func main() {
	if spin(20_000_000) < 0 {
		return
	}
	os.Exit(3)
}
