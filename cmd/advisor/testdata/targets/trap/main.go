// Command trap ignores SIGINT and SIGTERM and computes forever: only a
// kill ends it.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for s := range c {
			fmt.Fprintln(os.Stderr, "trap: ignoring", s)
		}
	}()
	fmt.Println("trapping")
	x := 0
	for i := 0; ; i++ {
		x += i % 7
		if x < 0 {
			return
		}
	}
}
