// Command helpers writes Go source: a generator (main, imports go/format).
package main

import (
	"fmt"
	"go/format"
	"os"
)

func main() {
	s := "package p\n"
	for _, a := range os.Args[1:] {
		s += "var " + a + " int\n" // hidden: generator
	}
	b, err := format.Source([]byte(s))
	if err != nil {
		panic(err)
	}
	fmt.Print(string(b))
}
