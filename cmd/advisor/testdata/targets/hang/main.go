// Command hang computes forever.
package main

func main() {
	x := 0
	for i := 0; ; i++ {
		x += i % 7
		if x < 0 {
			return
		}
	}
}
