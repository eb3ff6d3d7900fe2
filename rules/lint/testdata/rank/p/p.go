// Package p has the same finding in each place advisor lint hides by
// default, and once where it shows it.
package p

import (
	"errors"
	"fmt"
	"log"
	"os"
)

var table = func() string {
	s := ""
	for _, w := range os.Args {
		s += w
	}
	return s
}()

func init() {
	s := ""
	for _, w := range os.Args {
		s += w
	}
	_ = s
}

type T []string

func (t T) String() string {
	s := ""
	for _, w := range t {
		s += w
	}
	return s
}

// Check fails with the list of words.
func Check(words []string) error {
	if len(words) > 100 {
		s := ""
		for _, w := range words {
			s += w
		}
		return errors.New(s)
	}
	if len(words) > 50 {
		s := ""
		for _, w := range words {
			s += w
		}
		log.Fatal(s)
	}
	return nil
}

// Small looks up four keys twice each.
func Small(m map[string]int, keys [4]string) int {
	n := 0
	for _, k := range keys {
		if _, ok := m[k]; ok {
			n += m[k]
		}
	}
	return n
}

// Join is the one finding shown.
func Join(words []string) string {
	s := ""
	for _, w := range words {
		s += w
	}
	return s
}

// Sizes reads files one by one.
func Sizes(names []string) ([]int, error) {
	out := make([]int, len(names))
	for i, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = len(b)
	}
	return out, fmt.Errorf("done")
}

// DumpTree is debugging output.
func DumpTree(words []string) string {
	s := ""
	for _, w := range words {
		s += w
	}
	return s
}
