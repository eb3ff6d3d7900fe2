// Package prealloc defines an Analyzer that reports slices grown by append
// in a loop whose trip count is known before the loop starts.
//
// # Analyzer prealloc
//
// prealloc: report slices grown by append in a loop with a known bound and no capacity
//
// A slice that starts empty and receives exactly one append per iteration of
// a loop over a slice, array, map, integer range or counted for loop ends with
// a length that is known before the loop runs. Without a capacity, append
// reallocates and copies the backing array about log2(n) times and leaves
// garbage behind for the collector. Allocate the capacity once instead.
//
// Bad:
//
//	var names []string
//	for _, u := range users {
//		names = append(names, u.Name)
//	}
//
// Good:
//
//	names := make([]string, 0, len(users))
//	for _, u := range users {
//		names = append(names, u.Name)
//	}
//
// A suggested fix rewrites the initializer when the slice starts as an empty
// literal ([]T{}) or make([]T, 0). A slice declared with `var s []T` (or `var a, b []T`) gets no
// fix: it is nil when the loop does not run, while make returns an empty
// non-nil slice, which JSON encoding and `s == nil` checks can tell apart.
//
// A slice grown by spreading each element of a collection,
// s = append(s, xs...) in a range loop over a slice, array or map whose
// element (xs, xss[i], or a field path of it such as p.Items) the loop does
// not change, ends with the sum of the elements' lengths: a first pass adds
// them up, and the slice is allocated once (what bytes.Join and
// slices.Concat do):
//
//	n := 0
//	for _, p := range pages {
//		n += len(p.Items)
//	}
//	all := make([]string, 0, n)
//	for _, p := range pages {
//		all = append(all, p.Items...)
//	}
//
// The fix inserts that first pass when the slice starts as []T{} or
// make([]T, 0) in the statement just before the loop (so nothing between
// them changes the collection), naming the total n, size, total or length,
// whichever the function does not use yet.
//
// Silent when: the append is conditional or not reached on every iteration
// (filtering, a continue before it), the loop can exit early (break, return,
// goto), the slice is appended to more than once per iteration, or by
// spreading a slice computed in the loop, an invariant one, or an element
// the loop changes (through a pointer, a loop doing anything but the append
// could), the slice already has a capacity or a non-zero length, it is used
// between its declaration and the loop, the loop ranges over a string, a
// channel or an iterator function, or the bound is not a simple expression.
package prealloc
