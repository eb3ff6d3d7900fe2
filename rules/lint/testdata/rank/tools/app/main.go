// Command app is an ordinary program: its findings are shown.
package main

import (
	"fmt"
	"os"
)

func main() {
	s := ""
	for _, a := range os.Args[1:] {
		s += a // shown
	}
	fmt.Println(s)
}
