// Package bufreuse defines an Analyzer that reports byte buffers allocated
// on every iteration of a loop when one buffer could serve them all.
//
// # Analyzer bufreuse
//
// bufreuse: report per-iteration buffer allocations that could be hoisted and reused
//
// A make([]byte, n) or a new bytes.Buffer inside a loop allocates (and
// zeroes) a fresh buffer every iteration; when the buffer is dead by the end
// of the iteration and its size does not change, that is pure garbage-
// collector load. Allocate it once before the loop and reuse it: reslice a
// byte slice (buf = buf[:n], and clear(buf) if the code relies on zeroed
// memory), or call Reset on a bytes.Buffer.
//
// Bad:
//
//	for _, f := range files {
//		buf := make([]byte, 4096)
//		n, _ := f.Read(buf)
//		h.Write(buf[:n])
//	}
//
// Good:
//
//	buf := make([]byte, 4096)
//	for _, f := range files {
//		n, _ := f.Read(buf)
//		h.Write(buf[:n])
//	}
//
// The buffer must be assigned to a variable declared in the loop body by
// make([]byte, n), new(bytes.Buffer), &bytes.Buffer{}, bytes.NewBuffer(nil) or
// bytes.NewBufferString(""), or declared as `var buf bytes.Buffer` (whose
// storage grows afresh every iteration; a strings.Builder is not reported,
// since its Reset drops the storage and String shares it), and every use of it must keep its memory inside
// the iteration: indexing, len/cap/copy/clear, conversion to string, ranging,
// Read/Write-style methods (whose io contracts forbid retaining the slice),
// bytes and encoding/binary helpers, fmt printing, and the bytes.Buffer
// methods other than Bytes, Next and AvailableBuffer (whose results are
// checked the same way). No fix is suggested: where to put the hoisted
// buffer and whether zeroing matters are judgment calls.
//
// Silent when: the buffer escapes the iteration (returned, stored, appended
// to a slice, sent on a channel, captured by a closure, passed to an
// unknown function or method, or its address is taken), it is reassigned,
// or its size depends on the iteration; or when a constant-size slice of
// at most 64 KiB never reaches an interface method or an io, fmt or
// encoding/binary function: the compiler then keeps it on the stack.
package bufreuse
