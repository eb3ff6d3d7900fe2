// Command cgo is a demo target for analyze's attribution tests: its time
// goes to computing in C, which the execution tracer shows as a system call.
// Usage: cgo TRACEFILE CPUFILE
package main

/*
static long spin(long n) {
	volatile long x = 0;
	for (long i = 0; i < n; i++) x += i ^ (x >> 3);
	return x;
}
*/
import "C"

import "fmt"

// burn computes in C.
func burn(rounds int) int64 {
	var s int64
	for i := 0; i < rounds; i++ {
		s += int64(C.spin(10000000)) // the cpu hot path, in C
	}
	return s
}

func main() {
	defer advisorHookStop()
	fmt.Println(burn(6))
}
