// Command nilderef computes for a while, then dereferences a nil pointer.
package main

import "fmt"

type point struct{ x int }

func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i % 7
	}
	return x
}

func origin(ok bool) *point {
	if ok {
		return &point{}
	}
	return nil
}

func main() {
	total := spin(300_000_000)
	fmt.Println(total, origin(total < 0).x)
}
