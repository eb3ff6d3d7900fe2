// Package linearsearch defines an Analyzer that reports linear searches of
// one collection inside a loop over another.
//
// # Analyzer linearsearch
//
// linearsearch: report linear searches (slices.Contains, an inner loop with ==) inside a loop over a collection
//
// Searching slice B for each element of collection A costs len(A)·len(B)
// comparisons. When B does not change during the loop, building a set
// (map[T]struct{}) from it once makes every lookup O(1), for len(A)+len(B)
// work in total.
//
// Bad:
//
//	for _, u := range users {
//		if slices.Contains(banned, u.ID) {
//			continue
//		}
//		serve(u)
//	}
//
// Good:
//
//	isBanned := make(map[int]struct{}, len(banned))
//	for _, id := range banned {
//		isBanned[id] = struct{}{}
//	}
//	for _, u := range users {
//		if _, ok := isBanned[u.ID]; ok {
//			continue
//		}
//		serve(u)
//	}
//
// The rule matches slices.Contains(B, x) and slices.Index(B, x), and an
// inner `for _, b := range B { if b == x { ...; break } }` (or b.f == x, or
// ending in return or a labeled continue), where the outer loop ranges over
// a slice, map, channel or iterator, counts up to len of a slice, or scans a
// bufio.Scanner, and x depends on the outer loop's iteration. No fix is
// suggested: the set must be built where B is final, which is a judgment
// call.
//
// Silent when: B is written inside the outer loop (appended to, reassigned,
// its address taken, a pointer method called on it) or declared in it, B is
// an array or a composite literal or a variable initialized with one of at
// most 8 elements, or a variadic parameter (a handful of comparisons beat
// hashing), the elements are
// not comparable, the needle does not depend on the outer loop (that is
// loop-invariant work, not a repeated search), or the outer loop is over a
// literal (or a variable initialized with one of at most 8 elements), an
// array or an integer range.
package linearsearch
