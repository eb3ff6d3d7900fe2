// Command crash computes for a while, then panics.
package main

func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i % 7
	}
	return x
}

func main() {
	total := 0
	for i := 0; i < 400; i++ {
		total += spin(1_000_000)
	}
	panic(total)
}
