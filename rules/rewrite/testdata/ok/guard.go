package ok

import (
	"fmt"
	"os"
	"strings"
)

// wordCounts reports the unreadable files and skips them (an error guard),
// then counts words and prints the counts in order: the counting runs
// concurrently past the guard, whose report the in-order part replays.
func wordCounts(names []string) {
	for _, name := range names {
		data, err := os.ReadFile(name) // want workers
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			continue
		}
		words := strings.Fields(string(data))
		fmt.Println(name, len(words))
	}
}

// reusedErr assigns err again after the guard: run concurrently, the
// replayed guard would read the later err, so the concurrent part stops at
// the guard.
func reusedErr(names []string) {
	for _, name := range names {
		data, err := os.ReadFile(name) // want workers
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			continue
		}
		n, err := fmt.Sscan(string(data))
		fmt.Println(name, n, err)
	}
}
