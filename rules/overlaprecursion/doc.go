// Package overlaprecursion defines an Analyzer that reports recursive
// functions which call themselves more than once per activation on
// overlapping arguments, recomputing the same results exponentially often.
//
// # Analyzer overlaprecursion
//
// overlaprecursion: report recursion that recomputes overlapping subproblems
//
// A function that calls itself (directly, or through a cycle of functions in
// its package) two or more times in one activation, with arguments that are
// its own parameters shifted by small constants (n-1 and n-2; i+1, j and
// i, j+1), solves the same subproblems again and again: fib(n-1) and fib(n-2)
// both compute fib(n-3), and the call tree grows exponentially while the
// number of distinct arguments grows linearly. Remember each result in a map
// (or a slice indexed by the argument) so every subproblem is solved once.
//
// Bad:
//
//	func fib(n int) int {
//		if n < 2 {
//			return n
//		}
//		return fib(n-1) + fib(n-2)
//	}
//
// Good:
//
//	func fib(n int) int {
//		memo := make(map[int]int)
//		var rec func(n int) int
//		rec = func(n int) int {
//			if v, ok := memo[n]; ok {
//				return v
//			}
//			v := func() int {
//				if n < 2 {
//					return n
//				}
//				return rec(n-1) + rec(n-2)
//			}()
//			memo[n] = v
//			return v
//		}
//		return rec(n)
//	}
//
// For a plain function whose parameters are all of basic types, the
// suggested fix performs this rewrite; the memo lives for one top-level
// call, so no state is shared between calls or goroutines.
//
// Silent when: the function already indexes a map or writes to an indexed
// table (memoized or backtracking); the calls are on distinct parts of the
// input (node.Left and node.Right, lo..mid and mid..hi, partitions), since
// such arguments are not parameters shifted by constants; the calls sit in
// mutually exclusive branches; the results are discarded or the function
// has side effects that make memoization wrong (I/O, channel operations,
// goroutines, writes to package variables, fields or pointers); the result
// holds references (pointers, slices, maps: memoizing would share one object
// between callers); the code is in a _test.go file.
package overlaprecursion
