package p

import "strings"

// Per-item and per-call findings are shown only where something visibly
// runs them again and again.

// Names builds a slice once per call; nothing in the package calls it.
func Names(xs []Path) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.String()) // hidden: once per call
	}
	return out
}

// Nested builds one slice per outer iteration.
func Nested(xss [][]string) int {
	n := 0
	for _, xs := range xss {
		var out []string
		for _, x := range xs {
			out = append(out, x) // shown: inside a further loop
		}
		n += len(out)
	}
	return n
}

// PerItem calls a helper in a loop.
func PerItem(xss [][]string) int {
	n := 0
	for _, xs := range xss {
		n += len(upper(xs))
	}
	return n
}

func upper(xs []string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, strings.ToUpper(x)) // shown: its caller calls it in a loop
	}
	return out
}

// Once calls a helper once.
func Once(xs []string) int { return len(lower(xs)) }

func lower(xs []string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, strings.ToLower(x)) // hidden: once per call of Once
	}
	return out
}

// Tree is recursive.
type Tree struct {
	Kids []*Tree
	Name string
}

func (t *Tree) Names() []string {
	var out []string
	for _, k := range t.Kids {
		out = append(out, k.Name) // shown: the method calls itself
	}
	for _, k := range t.Kids {
		_ = k.Names()
	}
	return out
}

// Walked hands a callback on: it runs per item.
func Walked(xss [][]string, each func(func([]string))) int {
	n := 0
	each(func(xs []string) {
		var out []string
		for _, x := range xs {
			out = append(out, x+"!") // shown: in a callback
		}
		n += len(out)
	})
	return n
}

// Same compares two names case-insensitively, once per call of its only
// caller.
func Same(a, b string) bool {
	return strings.ToLower(a) == strings.ToLower(b) // hidden: once per call
}

// Matches counts the names equal to want, ignoring case.
func Matches(names []string, want string) int {
	n := 0
	for _, name := range names {
		if same(name, want) {
			n++
		}
	}
	return n
}

func same(a, b string) bool {
	return strings.ToLower(a) == strings.ToLower(b) // shown: called in a loop
}

// Lookup reads a map twice per item: one more hash of the key each time.
func Lookup(m map[string]int, ks []string) int {
	n := 0
	for _, k := range ks {
		if m[k] > 0 {
			n += m[k] // hidden: micro
		}
	}
	return n
}

// Supported returns the first of ids that supported holds: a search of a
// slice of its own size, most often a handful of elements.
func Supported(ids, supported []uint16) uint16 {
	for _, id := range ids {
		for _, s := range supported { // hidden: micro
			if s == id {
				return id
			}
		}
	}
	return 0
}
