// Command killself dies of SIGSEGV at once, before any profile is written.
package main

import "syscall"

func main() {
	syscall.Kill(syscall.Getpid(), syscall.SIGSEGV)
	select {}
}
