// Command quick does a tiny amount of work and exits: there is nothing worth
// optimizing (advisor demo: advice none).
package main

import (
	"fmt"
	"strings"
)

func main() {
	words := strings.Fields("measure before you optimize and do not guess")
	fmt.Println(len(words), "words")
}
