package a

import (
	"bytes"
	"encoding/binary"
	"io"
)

func outsideLoop(r io.Reader, n int) []byte {
	buf := make([]byte, n)
	r.Read(buf)
	return buf[:1]
}

func appended(r io.Reader, n int) [][]byte {
	var out [][]byte
	for i := 0; i < 3; i++ {
		buf := make([]byte, n)
		r.Read(buf)
		out = append(out, buf)
	}
	return out
}

func returned(r io.Reader, n int) []byte {
	for {
		buf := make([]byte, n)
		if m, _ := r.Read(buf); m > 0 {
			return buf[:m]
		}
	}
}

func sent(ch chan []byte, n int) {
	for range 10 {
		buf := make([]byte, n)
		ch <- buf
	}
}

func stored(m map[int][]byte, n int) {
	for i := range 10 {
		buf := make([]byte, n)
		m[i] = buf
	}
}

func stored2(m map[int][]byte, n int) {
	for i := range 10 {
		buf := make([]byte, n)
		m[i] = buf[1:]
	}
}

type holder struct{ b []byte }

func inStruct(hs []holder, n int) {
	for i := range hs {
		buf := make([]byte, n)
		hs[i] = holder{b: buf}
	}
}

func captured(n int, run func(func())) {
	for range 10 {
		buf := make([]byte, n)
		run(func() { buf[0] = 1 })
	}
}

func goroutine(n int) {
	for range 10 {
		buf := make([]byte, n)
		go func() { _ = buf }()
	}
}

func variableSize(lines [][]byte) {
	for _, l := range lines {
		buf := make([]byte, len(l))
		copy(buf, l)
		_ = buf[0]
	}
}

func sizeChanges(r io.Reader, n int) {
	for i := 0; i < 10; i++ {
		buf := make([]byte, n)
		r.Read(buf)
		n++
	}
}

func unknownCall(n int, keep func([]byte)) {
	for range 10 {
		buf := make([]byte, n)
		keep(buf)
	}
}

func reassigned(r io.Reader, n int) {
	for range 10 {
		buf := make([]byte, n)
		buf = append(buf, 1)
		r.Read(buf)
	}
}

func appendTo(n int) {
	for range 10 {
		buf := make([]byte, 0, n)
		buf = binary.BigEndian.AppendUint32(buf, 1)
		_ = buf
	}
}

func addressOfElem(n int) *byte {
	var p *byte
	for range 10 {
		buf := make([]byte, n)
		p = &buf[0]
	}
	return p
}

func bytesEscape(items []string) [][]byte {
	var out [][]byte
	for _, it := range items {
		b := new(bytes.Buffer)
		b.WriteString(it)
		out = append(out, b.Bytes())
	}
	return out
}

func bufferStored(items []string) []*bytes.Buffer {
	var out []*bytes.Buffer
	for _, it := range items {
		b := new(bytes.Buffer)
		b.WriteString(it)
		out = append(out, b)
	}
	return out
}

func bufferPassed(items []string, use func(io.Writer)) {
	for range items {
		b := new(bytes.Buffer)
		use(b)
	}
}

func notEmpty(items []string) {
	for _, it := range items {
		b := bytes.NewBufferString(it)
		_ = b.Len()
	}
}

type bytesT []byte

func namedType(n int) {
	for range 10 {
		b := make(bytesT, n)
		_ = b[0]
	}
}

func ints(n int) {
	for range 10 {
		b := make([]int, n)
		_ = b[0]
	}
}

func inClosureOnly(n int) func() {
	return func() {
		buf := make([]byte, n)
		_ = buf[0]
	}
}

type shake struct{ n int }

func (s *shake) Read(p []byte) (int, error) { s.n += len(p); return len(p), nil }

// A small constant-size buffer that only reaches concrete methods stays on
// the stack: there is no allocation to save.
func stackAllocated(s *shake, count int) {
	for range count {
		one := make([]byte, 1)
		s.Read(one)
		_ = one[0]
	}
}
