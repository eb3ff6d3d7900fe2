// Command ready says so once it runs, then computes until stopped: a test
// can interrupt it knowing the profilers are on. label gives the rules a
// finding, so the test can tell that they ran although the run was cut.
package main

import "fmt"

func label(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		s += fmt.Sprint(i)
	}
	return s
}

func main() {
	fmt.Println("ready", len(label(10)))
	x := 0
	for i := 0; ; i++ {
		x += i % 7
		if x < 0 {
			return
		}
	}
}
