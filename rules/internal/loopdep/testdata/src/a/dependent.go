package a

import (
	"bufio"
	"encoding/json"
	"math/rand"
	"strings"
)

type node struct {
	val  int
	next *node
}

func step(h uint64) uint64 { return h*31 + 7 }

// Hash chain: each iteration needs the previous hash.
func hashChain(n int) uint64 {
	var h uint64
	for i := 0; i < n; i++ { // want `loop: dependent: each iteration uses h from the previous one`
		h = step(h) ^ uint64(i)
	}
	return h
}

// Comparison returning at the first difference.
func equal(a, b []int) bool {
	for i := range a { // want `loop: dependent: the loop returns at the first result that matches`
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

type state int

func next(s state, c byte) state { return s + state(c) }

// Parser state machine.
func parse(input string) state {
	var st state
	for i := 0; i < len(input); i++ { // want `loop: dependent: each iteration uses st from the previous one`
		st = next(st, input[i])
	}
	return st
}

// Linked list walk in the for clause.
func sumList(head *node) int {
	total := 0
	for n := head; n != nil; n = n.next { // want `loop: dependent: the loop walks a linked list \(n = n.next\)`
		total += n.val
	}
	return total
}

// Linked list walk in the body of a for-cond loop.
func lenList(n *node) int {
	k := 0
	for n != nil { // want `loop: dependent: the loop walks a linked list \(n = n.next\)`
		k++
		n = n.next
	}
	return k
}

// Merging into a shared map: later keys overwrite earlier ones.
func merge(dst map[string]int, srcs []map[string]int) {
	for _, src := range srcs { // want `loop: dependent: iterations write the shared map dst`
		for k, v := range src { // want `loop: ordered: iterations write distinct keys of the shared map dst \(keep one writer\)`
			dst[k] = v
		}
	}
}

func countWords(words []string) map[string]int {
	counts := map[string]int{}
	for _, w := range words { // want `loop: dependent: iterations write the shared map counts`
		counts[strings.ToLower(w)]++
	}
	return counts
}

// Scanner.Scan is a stateful iterator.
func lines(sc *bufio.Scanner) []string {
	var out []string
	for sc.Scan() { // want `loop: dependent: Scanner.Scan is a stateful iterator`
		out = append(out, sc.Text())
	}
	return out
}

// A shared *rand.Rand.
func shuffleSum(r *rand.Rand, xs []int) int {
	s := 0
	for range xs { // want `loop: dependent: a shared \*rand.Rand is used \(Intn\)`
		s += r.Intn(10)
	}
	return s
}

// A for-cond loop whose condition the body changes.
func halve(x int) int {
	steps := 0
	for x > 1 { // want `loop: dependent: the loop condition depends on x, which the body changes`
		x /= 2
		steps++
	}
	return steps
}

// The body changes the loop counter.
func skipper(xs []int) int {
	s := 0
	for i := 0; i < len(xs); i++ { // want `loop: dependent: the body changes the loop variable i`
		if xs[i] == 0 {
			i++
		}
		s += xs[i]
	}
	return s
}

// Breaking at the first match.
func index(xs []string, want string) int {
	at := -1
	for i, x := range xs { // want `loop: dependent: the loop breaks at the first result that matches`
		if x == want {
			at = i
			break
		}
	}
	return at
}

// A labeled break out of an outer loop counts for both loops.
func findPair(grid [][]int) (int, int) {
	r, c := -1, -1
outer:
	for i, row := range grid { // want `loop: dependent: the loop stops \(break outer\) at the first result that matches`
		for j, v := range row { // want `loop: dependent: the loop stops \(break outer\) at the first result that matches`
			if v < 0 {
				r, c = i, j
				break outer
			}
		}
	}
	return r, c
}

// goto out of the loop.
func gotoOut(xs []int) int {
	for _, x := range xs { // want `loop: dependent: the loop leaves with goto found`
		if x > 10 {
			goto found
		}
	}
	return 0
found:
	return 1
}

var seen int

// Package variable.
func global(xs []int) {
	for _, x := range xs { // want `loop: dependent: iterations write the package variable seen`
		seen = x
	}
}

var hits int

func bump(n int) { hits += n }

// A callee writes a package variable.
func globalCallee(xs []int) {
	for _, x := range xs { // want `loop: dependent: bump writes the package variable hits`
		bump(x)
	}
}

type stats struct{ n int }

func (s *stats) add(x int) { s.n += x }

// A callee writes through a pointer to shared state.
func sharedPointer(xs []int) int {
	var st stats
	for _, x := range xs { // want `loop: dependent: iterations call st.add on the shared st`
		st.add(x)
	}
	return st.n
}

type acc struct{ total int }

// Fields of an outer value.
func fieldWrite(a *acc, xs []int) {
	for _, x := range xs { // want `loop: dependent: iterations write the field total of shared a`
		a.total = a.total + x
	}
}

// Receiving from a channel.
func drain(ch chan int) int {
	s := 0
	for range 10 { // want `loop: dependent: the loop receives from the shared channel ch`
		s += <-ch
	}
	return s
}

// Range over a channel.
func fromChan(ch chan int) int {
	s := 0
	for v := range ch { // want `loop: dependent: the loop receives from channel ch one value at a time`
		s += v
	}
	return s
}

// Writes at indices that may repeat.
func histogram(xs []int, h []int) {
	for _, x := range xs { // want `loop: dependent: iterations write elements of the shared h at indices that may repeat`
		h[x%len(h)]++
	}
}

// A reduction variable that is also read otherwise: running sum.
func prefix(xs []int) []int {
	out := make([]int, len(xs))
	sum := 0
	for i, x := range xs { // want `loop: dependent: each iteration uses sum from the previous one`
		sum += x
		out[i] = sum
	}
	return out
}

// An aliased pointer to shared memory.
func alias(a *acc, xs []int) {
	for _, x := range xs { // want `loop: dependent: iterations write the field total of shared p`
		p := a
		p.total = x
	}
}

func fill(dst []int, v int) {
	for i := range dst {
		dst[i] = v
	}
}

// A same-package callee writing a slice the loop shares.
func sharedSlice(buf []int, xs []int) {
	for _, x := range xs { // want `loop: dependent: iterations call fill with shared buf`
		fill(buf, x)
	}
}

// A shared reader.
func readChunks(r interface{ Read([]byte) (int, error) }, n int) [][]byte {
	out := make([][]byte, n)
	for i := range n { // want `loop: dependent: r.Read consumes the shared reader r`
		b := make([]byte, 16)
		r.Read(b)
		out[i] = b
	}
	return out
}

type config struct{ Name string }

func decodeInto(dst *config, data []byte) { dst.Name = string(data) }

// A pointer to shared state passed to a same-package callee.
func decodeAll(blobs [][]byte) config {
	var c config
	for _, b := range blobs { // want `loop: dependent: iterations call decodeInto with a pointer to shared c`
		decodeInto(&c, b)
	}
	return c
}

// A pointer to shared state passed to an unknown (interface) call.
type sink interface{ Put(*config) }

func putAll(s sink, names []string) {
	for _, n := range names { // want `loop: dependent: iterations call s.Put on the shared s`
		c := config{Name: n}
		s.Put(&c)
	}
}

// A pointer to shared state passed to a standard-library call.
func unmarshalAll(blobs [][]byte) map[string]any {
	var v map[string]any
	for _, b := range blobs { // want `loop: dependent: iterations call json.Unmarshal with a pointer to shared v`
		_ = json.Unmarshal(b, &v)
	}
	return v
}

// A shared json.Decoder.
func decodeStream(d *json.Decoder, n int) []config {
	out := make([]config, n)
	for i := range n { // want `loop: dependent: Decoder.Decode reads the shared stream`
		_ = d.Decode(&out[i])
	}
	return out
}

// In place, iteration i reads what iteration i-1 wrote.
func prefixInPlace(xs []int) {
	for i := 1; i < len(xs); i++ { // want `loop: dependent: iterations read xs\[i - 1\], which another iteration writes`
		xs[i] = xs[i-1] + xs[i]
	}
}

// A closure declared before the loop carries state through what it
// captures.
func viaClosure(xs []int) []int {
	prev := 0
	delta := func(v int) int {
		d := v - prev
		prev = v
		return d
	}
	out := make([]int, len(xs))
	for i, x := range xs { // want `loop: dependent: each iteration uses prev from the previous one`
		out[i] = delta(x)
	}
	return out
}

// Deleting from the map being ranged over.
func prune(m map[string]int) {
	for k, v := range m { // want `loop: dependent: iterations call delete, which writes the shared map m`
		if v == 0 {
			delete(m, k)
		}
	}
}
