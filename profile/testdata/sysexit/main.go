// Command sysexit ends through syscall.Exit, which skips the runtime's exit
// hooks: a normal exit, not a crash, but the profiles are not flushed.
package main

import (
	"fmt"
	"syscall"
)

func main() {
	fmt.Println("sysexit ok")
	syscall.Exit(0)
}
