// Command hot prints a joined string.
package main

import (
	"fmt"
	"os"

	"example.com/hot"
)

func main() { fmt.Println(hot.Hot(os.Args), hot.Cold(os.Args)) }
