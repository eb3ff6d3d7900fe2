// Package deeprecursion defines an Analyzer that reports recursion whose
// depth grows linearly with the size of its input.
//
// # Analyzer deeprecursion
//
// deeprecursion: report recursion one element per call (depth grows with input)
//
// A function that recurses on n-1, on s[1:], or on the next node of a linked
// list makes one call per element, so its stack depth is the input size. Go
// has no tail calls: every level is a frame, deep stacks are grown by
// copying, and a long enough input overflows the 1 GB stack limit. A loop
// does the same work in constant stack.
//
// Bad:
//
//	func length(l *List) int {
//		if l == nil {
//			return 0
//		}
//		return 1 + length(l.next)
//	}
//
// Good:
//
//	func length(l *List) int {
//		n := 0
//		for ; l != nil; l = l.next {
//			n++
//		}
//		return n
//	}
//
// Mutual recursion is reported once per cycle. A list link is a field of
// type *T in a struct T with no other reference to T, named like next, prev,
// tail or rest.
//
// Silent when: the recursion halves its input (n/2, s[:len(s)/2]) or fans out
// (two or more recursive calls per activation, as in tree walks, merge sort
// or overlapping recursion, which overlaprecursion reports); it recurses on
// a node type with several self-references or a slice of children (trees,
// syntax trees, scopes with children), or up a chain of nested contexts
// (parent, outer, link: its length is a nesting depth, not the input
// size); it counts up to a constant (a depth limit); the recursive call
// sits in a loop (backtracking, directory walks); an integer argument
// steps by one while another argument changes in some other way (a depth
// counter beside the real input); the arguments come from elsewhere than
// the parameters (recursive-descent parsers, walks over computed values);
// the code is in a _test.go file (tests grow stacks on purpose).
package deeprecursion
