// Package byname pins loopinv.ByName: memory reached through pointers,
// slices and maps, and variables that may change without being named, count
// as unchanged unless the loop names them in a write. Each case here is
// "variant" under MayAlias (see package a) because the loop has effects.
package byname

import "io"

type conf struct {
	size  int
	items []string
}

func (c *conf) grow()            { c.size++ }
func (c conf) peek() int         { return c.size }
func sink(any)                   {}
func fill(b []byte) []byte       { return b }
func read(r io.Reader, b []byte) { r.Read(b) }

var global = 512

// Effects alone (Read, append, unknown calls) do not make what is read
// through a variable variant.
func effects(r io.Reader, c *conf, xs []int, m map[string]int, p *int, out []string) {
	for range xs {
		_ = c.size          // want "invariant"
		_ = len(c.items)    // want "invariant"
		_ = xs[0]           // want "invariant"
		_ = len(m)          // want "invariant"
		_ = *p              // want "invariant"
		_ = global          // want "invariant"
		_ = max(c.size, 64) // want "invariant"
		read(r, nil)
		out = append(out, "x")
	}
	_ = out
}

// Writes that name the root variable do.
func namedWrites(r io.Reader, c *conf, xs []int, n int, f func()) {
	for range xs {
		_ = c.size // want "variant"
		c.size = 3
	}
	for range xs {
		_ = c.size // want "variant"
		c.grow()   // a pointer method may change what c reaches
	}
	for range xs {
		_ = c.size // want "invariant"
		sink(c.peek()) // a value method cannot
	}
	for range xs {
		_ = n // want "variant"
		sink(&n)
	}
	for range xs {
		_ = xs[1] // want "variant"
		xs[0] = 1
	}
	for range xs {
		_ = r // want "variant"
		read(r, fill(nil))
		r.Read(nil) // an interface method may change what r reaches
	}
	for range xs {
		_ = n // want "variant"
		func() { n++ }()
	}
	for range xs {
		_ = n // want "invariant"
		f()
	}
}

// What changes per iteration by construction stays variant.
func perIteration(xs []int, ch chan int) {
	for i, x := range xs {
		_ = i // want "variant"
		_ = x // want "variant"
		y := x
		_ = y       // want "variant"
		_ = <-ch    // want "variant"
		_ = &conf{} // want "variant"
	}
}
