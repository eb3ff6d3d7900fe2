// Command ownmain is a one-file main in its own module that spends its time
// in a library of another module (example.com/ownlib, replaced by the sibling
// directory): without --own, the profile sees only main.main.
package main

import (
	"flag"
	"fmt"

	"example.com/ownlib"
)

func main() {
	n := flag.Int("n", 40, "how hard to score")
	flag.Parse()
	fmt.Println("score", ownlib.Score(*n))
}
