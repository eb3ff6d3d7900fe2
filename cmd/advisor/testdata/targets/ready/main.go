// Command ready says so once it runs, then computes until stopped: a test
// can interrupt it knowing the profilers are on.
package main

import "fmt"

func main() {
	fmt.Println("ready")
	x := 0
	for i := 0; ; i++ {
		x += i % 7
		if x < 0 {
			return
		}
	}
}
