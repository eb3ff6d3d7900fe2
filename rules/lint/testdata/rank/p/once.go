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

// Lookup reads a map twice, once per call of its only caller.
func Lookup(m map[string]int, k string) int {
	if m[k] > 0 {
		return m[k] // hidden: once per call
	}
	return 0
}

// Count reads a map twice per item.
func Count(m map[string]int, ks []string) int {
	n := 0
	for _, k := range ks {
		n += count(m, k)
	}
	return n
}

func count(m map[string]int, k string) int {
	if m[k] > 0 {
		return m[k] // shown: called in a loop
	}
	return 0
}
