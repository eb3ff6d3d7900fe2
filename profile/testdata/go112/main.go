// Command go112 is a module that declares go 1.12: the injected hook must
// compile under that language version (no 0o literals, no generics).
package main

import "fmt"

func main() { fmt.Println("go112 ok") }
