package a

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
	"text/template"
)

func readLoop(files []*os.File, n int) {
	h := sha256.New()
	for _, f := range files {
		buf := make([]byte, n) // want `buf is allocated on every iteration but does not outlive it; allocate it once before the loop and reuse it \(buf = buf\[:n\]\)`
		m, _ := f.Read(buf)
		h.Write(buf[:m])
	}
}

func constSize(r io.Reader, count int) uint32 {
	var sum uint32
	for i := 0; i < count; i++ {
		hdr := make([]byte, 8) // want `hdr is allocated on every iteration`
		if _, err := io.ReadFull(r, hdr); err != nil {
			break
		}
		sum += binary.BigEndian.Uint32(hdr[4:])
		if bytes.HasPrefix(hdr, []byte("xx")) {
			sum++
		}
	}
	return sum
}

func stringify(r io.Reader, size int) []string {
	var out []string
	for {
		var chunk = make([]byte, size, size*2) // want `chunk is allocated on every iteration`
		n, err := r.Read(chunk)
		out = append(out, string(chunk[:n]))
		for i, b := range chunk {
			chunk[i] = b + 1
		}
		copy(chunk, "xyz")
		if len(chunk) == 0 || chunk == nil || err != nil {
			break
		}
	}
	return out
}

func buffers(w io.Writer, items []string) {
	for _, it := range items {
		b := new(bytes.Buffer) // want `b is allocated on every iteration but does not outlive it; allocate it once before the loop and reuse it \(b.Reset\(\)\)`
		b.WriteString(it)
		fmt.Fprintf(b, "%d", len(it))
		w.Write(b.Bytes())
	}
}

func bufferLiteral(items []string) []string {
	var out []string
	for _, it := range items {
		b := &bytes.Buffer{} // want `b is allocated on every iteration`
		b.WriteString(it)
		out = append(out, b.String())
	}
	return out
}

func newBuffer(t *template.Template, items []any) []string {
	var out []string
	for _, it := range items {
		b := bytes.NewBuffer(nil) // want `b is allocated on every iteration`
		if err := t.Execute(b, it); err != nil {
			continue
		}
		out = append(out, string(b.Bytes()))
	}
	return out
}

func newBufferString(items []string) int {
	total := 0
	for _, it := range items {
		b := bytes.NewBufferString("") // want `b is allocated on every iteration`
		b.WriteString(it)
		total += b.Len()
	}
	return total
}

type reader struct{}

func (reader) Read(p []byte) (int, error) { return len(p), nil }

// A variable size is heap-allocated even when only concrete methods see it.
func variableSizeConcrete(r reader, n int) {
	for range 10 {
		buf := make([]byte, n) // want `buf is allocated on every iteration`
		r.Read(buf)
	}
}

// A constant size escapes through an interface call.
func constSizeInterface(r io.Reader) {
	for range 10 {
		buf := make([]byte, 512) // want `buf is allocated on every iteration`
		r.Read(buf[:])
	}
}

func bufferVar(rows [][]string, w io.Writer) {
	for _, r := range rows {
		var buf bytes.Buffer // want `buf is allocated on every iteration but does not outlive it; allocate it once before the loop and reuse it \(buf.Reset\(\)\)`
		for _, c := range r {
			buf.WriteString(c)
			fmt.Fprintf(&buf, ",")
		}
		w.Write(buf.Bytes())
	}
}

func bufferVarKept(rows [][]string) []*bytes.Buffer {
	var out []*bytes.Buffer
	for _, r := range rows {
		var buf bytes.Buffer // its address is kept
		buf.WriteString(r[0])
		out = append(out, &buf)
	}
	return out
}

func builderVar(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		var sb strings.Builder // Reset drops the buffer: nothing to reuse
		sb.WriteString(r[0])
		out = append(out, sb.String())
	}
	return out
}
