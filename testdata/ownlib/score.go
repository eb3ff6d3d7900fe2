// Package ownlib is a library the ownmain demo calls: its hot code is in
// another module, so advisor sees it only with --own.
package ownlib

// Score rates a word by a naive recursive count: it recomputes the same
// sub-results exponentially often (a memo would make it linear).
func Score(n int) int {
	if n < 2 {
		return n
	}
	return Score(n-1) + Score(n-2)
}
