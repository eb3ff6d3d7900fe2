// Command app is a fixture main package.
package main

func slow() int { return 1 }

func fast() int { return 1 }

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	for range 30 {
		_ = slow()
	}
	_ = fib(10)
}
