// Command app is a fixture main package.
package main

func slow() int { return 1 }

func fast() int { return 1 }

func main() {
	for range 3 {
		_ = slow()
	}
}
