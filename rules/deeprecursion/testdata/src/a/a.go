package a

import (
	"go/ast"
	"os"
	"path/filepath"
)

// --- positives ---

func fact(n int) int {
	if n == 0 {
		return 1
	}
	return n * fact(n-1) // want `fact calls itself with n - 1, so recursion depth grows linearly with n \(rewrite as a loop\)`
}

func sum(s []int) int {
	if len(s) == 0 {
		return 0
	}
	return s[0] + sum(s[1:]) // want `sum calls itself with s\[1:\], one element per call, so recursion depth grows with len\(s\)`
}

func last(s []int) int {
	if len(s) == 1 {
		return s[0]
	}
	return last(s[:len(s)-1]) // want `last calls itself with s\[:len\(s\) - 1\]`
}

type List struct {
	val  int
	next *List
}

func length(l *List) int {
	if l == nil {
		return 0
	}
	return 1 + length(l.next) // want `length calls itself on l.next, one list node per call, so recursion depth grows with the length of the list`
}

func (l *List) Sum() int {
	if l == nil {
		return 0
	}
	return l.val + l.next.Sum() // want `Sum calls itself on l.next`
}

// An accumulator beside the list step does not hide it.
func collect(l *List, acc []int) []int {
	if l == nil {
		return acc
	}
	return collect(l.next, append(acc, l.val)) // want `collect calls itself on l.next`
}

// Counting up to an input-dependent bound.
func count(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	n := 0
	if s[i] == 'a' {
		n = 1
	}
	return n + count(s, i+1) // want `count calls itself with i \+ 1, so recursion depth grows linearly with i`
}

// Mutual recursion.
func isEven(n uint) bool {
	if n == 0 {
		return true
	}
	return isOdd(n - 1) // want `isEven calls isOdd \(mutual recursion\) with n - 1`
}

func isOdd(n uint) bool {
	if n == 0 {
		return false
	}
	return isEven(n - 1) // reported once per cycle, at isEven
}

func strip(s string) string {
	if s == "" || s[0] != ' ' {
		return s
	}
	return strip(s[1:]) // want `strip calls itself with s\[1:\]`
}

// --- near-misses: must stay silent ---

func halve(n int) int {
	if n <= 1 {
		return 0
	}
	return 1 + halve(n/2)
}

func bsearch(s []int, x int) bool {
	if len(s) == 0 {
		return false
	}
	m := len(s) / 2
	if s[m] < x {
		return bsearch(s[m+1:], x)
	}
	return bsearch(s[:m], x)
}

type Tree struct {
	Left, Right *Tree
	Val         int
}

func min(t *Tree) int {
	if t.Left == nil {
		return t.Val
	}
	return min(t.Left)
}

func size(t *Tree) int {
	if t == nil {
		return 0
	}
	return 1 + size(t.Left) + size(t.Right)
}

type Dir struct {
	parent   *Dir
	children []*Dir
}

func depth(d *Dir) int {
	if d == nil {
		return 0
	}
	return 1 + depth(d.parent)
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func walk(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := walk(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

func countIdents(n ast.Node) int {
	switch n := n.(type) {
	case *ast.Ident:
		return 1
	case *ast.BinaryExpr:
		return countIdents(n.X) + countIdents(n.Y)
	case *ast.ParenExpr:
		return countIdents(n.X)
	}
	return 0
}

// Backtracking: the recursive call is in a loop.
func perms(prefix []int, rest []int, k int) int {
	if k == len(rest) {
		return 1
	}
	total := 0
	for range rest {
		total += perms(prefix, rest, k+1)
	}
	return total
}

type value struct{ fields []value }

// A depth counter beside the real input.
func printValue(v value, depth int) int {
	if depth > 10 {
		return 0
	}
	n := 0
	if len(v.fields) > 0 {
		n += printValue(v.fields[0], depth+1)
	}
	return n
}

// Counting up to a constant bound: bounded depth.
func level(p *List, lvl int) int {
	if lvl >= 5 {
		return 0
	}
	return 1 + level(p, lvl+1)
}

// Recursive descent: arguments are not stepped parameters.
type parser struct {
	toks []string
	pos  int
}

func (p *parser) expr() int {
	t := p.term()
	for p.pos < len(p.toks) && p.toks[p.pos] == "+" {
		p.pos++
		t += p.term()
	}
	return t
}

func (p *parser) term() int {
	if p.toks[p.pos] == "(" {
		p.pos++
		v := p.expr()
		p.pos++
		return v
	}
	p.pos++
	return 1
}

// Chunked stride.
func chunks(s []byte) int {
	if len(s) < 64 {
		return 1
	}
	return 1 + chunks(s[64:])
}

// A three-function cycle is reported once.
func c1(n int) int {
	if n == 0 {
		return 0
	}
	return c2(n - 1) // want `c1 calls c2 \(mutual recursion\) with n - 1`
}

func c2(n int) int { return c3(n) }

func c3(n int) int { return c1(n - 1) }

// A chain of nested contexts: depth is nesting, not input size.
type common struct {
	parent *common
	failed bool
}

func (c *common) Fail() {
	if c.parent != nil {
		c.parent.Fail()
	}
	c.failed = true
}

type node struct {
	nextFree *node
}

func freeAll(n *node) int {
	if n == nil {
		return 0
	}
	return 1 + freeAll(n.nextFree) // want `freeAll calls itself on n.nextFree`
}
