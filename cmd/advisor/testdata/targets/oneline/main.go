// Command oneline prints one line, then computes briefly without writing
// again: with its output piped to head -1, only advisor's own write fails.
package main

import "fmt"

func main() {
	fmt.Println("first line")
	x := 0
	for i := 0; i < 50_000_000; i++ {
		x += i % 7
	}
	if x < 0 {
		fmt.Println(x)
	}
}
