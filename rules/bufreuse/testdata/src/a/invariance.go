package a

import "io"

// These cases pin the invariance bufreuse needs (loopinv.ByName): a size
// read through a pointer, a slice or a package variable repeats while the
// loop writes nothing through that name, even though every Read is a call
// that could in principle change it.

type chunker struct {
	size  int
	sizes []int
}

func (c *chunker) next() { c.size *= 2 }

var chunkSize = 4096

func fieldSize(r io.Reader, c *chunker) {
	for {
		buf := make([]byte, c.size) // want `buf is allocated on every iteration`
		if _, err := r.Read(buf); err != nil {
			return
		}
	}
}

func elemSize(r io.Reader, c *chunker) {
	for range 10 {
		buf := make([]byte, c.sizes[0]) // want `buf is allocated on every iteration`
		r.Read(buf)
	}
}

func globalSize(r io.Reader) {
	for range 10 {
		buf := make([]byte, chunkSize) // want `buf is allocated on every iteration`
		r.Read(buf)
	}
}

func derefSize(r io.Reader, n *int) {
	for range 10 {
		buf := make([]byte, *n) // want `buf is allocated on every iteration`
		r.Read(buf)
	}
}

func boundedSize(r io.Reader, n int) {
	for range 10 {
		buf := make([]byte, max(n, 512)) // want `buf is allocated on every iteration`
		r.Read(buf)
	}
}

// Near-misses: the loop changes the size through its name.

func fieldWritten(r io.Reader, c *chunker) {
	for range 10 {
		buf := make([]byte, c.size)
		r.Read(buf)
		c.size++
	}
}

func pointerMethod(r io.Reader, c *chunker) {
	for range 10 {
		buf := make([]byte, c.size)
		r.Read(buf)
		c.next()
	}
}

func addressTakenInLoop(r io.Reader, n int, set func(*int)) {
	for range 10 {
		buf := make([]byte, n)
		r.Read(buf)
		set(&n)
	}
}

func globalWritten(r io.Reader) {
	for range 10 {
		buf := make([]byte, chunkSize)
		r.Read(buf)
		chunkSize /= 2
	}
}

func sizeFromCall(r io.Reader, size func() int) {
	for range 10 {
		buf := make([]byte, size())
		r.Read(buf)
	}
}
