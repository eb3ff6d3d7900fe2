// Command stdin reads all of its standard input, then computes briefly.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	b, err := io.ReadAll(os.Stdin)
	x := 0
	for i := 0; i < 20_000_000; i++ {
		x += i % 7
	}
	fmt.Println("read", len(b), err, x)
}
