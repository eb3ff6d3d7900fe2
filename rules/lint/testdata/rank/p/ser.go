package p

import (
	"encoding/json"
	"io"
	"sort"
)

type entry struct{ Name string }

// Encoded builds a slice only to marshal it.
func Encoded(names []string) ([]byte, error) {
	var es []entry
	for _, n := range names {
		es = append(es, entry{n}) // hidden: serialized
	}
	return json.Marshal(es)
}

// Extended grows it in a second loop before encoding it.
func Extended(w io.Writer, names, more []string) error {
	var es []entry
	for _, n := range names {
		es = append(es, entry{n}) // hidden: serialized
	}
	for _, n := range more {
		if n != "" {
			es = append(es, entry{n})
		}
	}
	return json.NewEncoder(w).Encode(es)
}

// Blocks writes each element.
func Blocks(w interface{ WriteBlocks([][]byte) error }, parts []string) error {
	var bs [][]byte
	for _, p := range parts {
		bs = append(bs, []byte(p)) // hidden: serialized
	}
	return w.WriteBlocks(bs)
}

// Near misses, shown.

// Bytes written: a copy, cheaper than the growth.
func Bytes(w io.Writer, xs []int) error {
	var b []byte
	for _, x := range xs {
		b = append(b, byte(x)) // shown
	}
	_, err := w.Write(b)
	return err
}

// Marshaled and returned.
func Both(names []string) ([]entry, []byte) {
	var es []entry
	for _, n := range names {
		es = append(es, entry{n}) // shown
	}
	b, _ := json.Marshal(es)
	return es, b
}

// Sorted and searched: the ordinary use.
func Sorted(names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, n) // shown
	}
	sort.Strings(out)
	return out
}

// Batch runs the near misses per batch, so that only their use of the
// slice decides (not "once per call").
func Batch(w io.Writer, batches [][]string, xs [][]int) {
	for i, b := range batches {
		_ = Bytes(w, xs[i])
		Both(b)
		Sorted(b)
	}
}
