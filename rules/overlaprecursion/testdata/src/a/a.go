package a

import (
	"fmt"
	"sync"
)

// --- positives ---

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2) // want `fib calls itself more than once on overlapping arguments: fib\(n-1\) and fib\(n-2\) recompute the same results exponentially often \(memoize in a map\)`
}

func paths(i, j int) int {
	if i == 0 || j == 0 {
		return 1
	}
	return paths(i-1, j) + paths(i, j-1) // want `paths calls itself more than once on overlapping arguments: paths\(i-1, j\) and paths\(i, j-1\)`
}

func lcs(a, b string, i, j int) int {
	if i == len(a) || j == len(b) {
		return 0
	}
	if a[i] == b[j] {
		return 1 + lcs(a, b, i+1, j+1)
	}
	x := lcs(a, b, i+1, j) // want `lcs calls itself more than once`
	y := lcs(a, b, i, j+1)
	return max(x, y)
}

func canReach(n int) bool {
	if n == 0 {
		return true
	}
	if n < 0 {
		return false
	}
	return canReach(n-3) || canReach(n-5) // want `canReach calls itself`
}

func binom(n, k int) int {
	if k == 0 || k == n {
		return 1
	}
	return binom(n-1, k-1) + binom(n-1, k) // want `binom calls itself`
}

// Mutual recursion: even/odd counting paths of two kinds.
func ways(n int) int {
	if n <= 1 {
		return 1
	}
	return other(n-1) + other(n-2) // want `ways calls other \(mutual recursion\) more than once on overlapping arguments: other\(n-1\) and other\(n-2\)`
}

func other(n int) int {
	if n <= 1 {
		return 1
	}
	return ways(n - 1)
}

type solver struct{ limit int }

func (s solver) count(n int) int {
	if n <= 0 {
		return 1
	}
	return s.count(n-1) + s.count(n-2) // want `count calls itself`
}

func tribonacci(n int) int {
	switch {
	case n < 2:
		return 0
	case n == 2:
		return 1
	}
	a := tribonacci(n - 1) // want `tribonacci calls itself`
	b := tribonacci(n - 2)
	c := tribonacci(n - 3)
	return a + b + c
}

// --- near-misses: must stay silent ---

var memo = map[int]int{}

func fibMemo(n int) int {
	if n < 2 {
		return n
	}
	if v, ok := memo[n]; ok {
		return v
	}
	v := fibMemo(n-1) + fibMemo(n-2)
	memo[n] = v
	return v
}

func fibTable(n int, table []int) int {
	if n < 2 {
		return n
	}
	if table[n] != 0 {
		return table[n]
	}
	table[n] = fibTable(n-1, table) + fibTable(n-2, table)
	return table[n]
}

type Node struct {
	Left, Right *Node
	Val         int
}

func sum(t *Node) int {
	if t == nil {
		return 0
	}
	return t.Val + sum(t.Left) + sum(t.Right)
}

func mergeSort(a []int, lo, hi int) int {
	if hi-lo < 2 {
		return 0
	}
	mid := (lo + hi) / 2
	return mergeSort(a, lo, mid) + mergeSort(a, mid, hi)
}

func quick(a []int) int {
	if len(a) < 2 {
		return 0
	}
	p := len(a) / 2
	return quick(a[:p]) + quick(a[p+1:])
}

// Exclusive branches: one call per activation.
func collatz(n int) int {
	if n == 1 {
		return 0
	}
	if n%2 == 0 {
		return 1 + collatz(n/2)
	} else {
		return 1 + collatz(n+1)
	}
}

func steps(n int) int {
	if n <= 0 {
		return 0
	}
	if n%3 == 0 {
		return 1 + steps(n-3)
	}
	return 1 + steps(n-1)
}

func kind(n int) int {
	switch n % 2 {
	case 0:
		return kind(n - 2)
	default:
		if n < 0 {
			return 0
		}
		return kind(n - 1)
	}
}

// Side effects make memoization wrong.
func hanoi(n int, from, to, via string) int {
	if n == 0 {
		return 0
	}
	a := hanoi(n-1, from, via, to)
	fmt.Println("move", from, to)
	b := hanoi(n-1, via, to, from)
	return a + b + 1
}

var calls int

func counted(n int) int {
	calls++
	if n < 2 {
		return n
	}
	return counted(n-1) + counted(n-2)
}

func sent(n int, ch chan int) int {
	if n < 2 {
		ch <- n
		return n
	}
	return sent(n-1, ch) + sent(n-2, ch)
}

var mu sync.Mutex

func locked(n int) int {
	mu.Lock()
	defer mu.Unlock()
	if n < 2 {
		return n
	}
	return locked(n-1) + locked(n-2)
}

// Results discarded: called for effect.
func visit(n int, out []int) []int {
	if n == 0 {
		return out
	}
	visit(n-1, out)
	visit(n-2, out)
	return out
}

// No results.
func walk(n int) {
	if n <= 0 {
		return
	}
	walk(n - 1)
	walk(n - 2)
}

// Backtracking writes an indexed element.
func place(row int, cols []bool) int {
	if row == len(cols) {
		return 1
	}
	total := 0
	for c := range cols {
		if cols[c] {
			continue
		}
		cols[c] = true
		total += place(row+1, cols)
		cols[c] = false
	}
	return total + place(row+1, cols)
}

// Arguments built from locals, not shifted parameters.
func split(n int) int {
	if n < 4 {
		return 1
	}
	h := n / 2
	return split(h) + split(n-h)
}

// A single recursive call.
func fact(n int) int {
	if n == 0 {
		return 1
	}
	return n * fact(n-1)
}

// Large steps.
func coarse(n int) int {
	if n < 0 {
		return 0
	}
	return coarse(n-100) + coarse(n-200)
}

// Calls to a non-recursive helper.
func helper(n int) int { return n * 2 }

func twice(n int) int {
	return helper(n-1) + helper(n-2)
}

// Fresh objects per call: memoizing would share them.
func makeTree(d int) *Node {
	if d == 0 {
		return &Node{}
	}
	return &Node{Left: makeTree(d - 1), Right: makeTree(d - 1)}
}

func ranges(n int) []int {
	if n <= 0 {
		return nil
	}
	return append(ranges(n-1), ranges(n-2)...)
}

type pair struct{ a, b int }

// A struct of plain values is fine to memoize.
func pairs(n int) pair {
	if n < 2 {
		return pair{n, n}
	}
	x, y := pairs(n-1), pairs(n-2) // want `pairs calls itself`
	return pair{x.a + y.a, x.b + y.b}
}
