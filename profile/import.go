package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Import checks that existing profile files can be used: a CPU profile (or
// any pprof profile) at cpuPath and an execution trace at tracePath. Either
// may be "", not both. It only looks at their headers; parsing is the
// analyzer's job. Problems are *UserError.
func Import(cpuPath, tracePath string) (*Result, error) {
	if cpuPath == "" && tracePath == "" {
		return nil, userError("nothing to import: give a CPU profile, a trace or both", "", nil)
	}
	res := &Result{}
	if cpuPath != "" {
		p, err := checkFile(cpuPath, kindPprof)
		if err != nil {
			return nil, err
		}
		res.CPUProfile = p
	}
	if tracePath != "" {
		p, err := checkFile(tracePath, kindTrace)
		if err != nil {
			return nil, err
		}
		res.Trace = p
	}
	return res, nil
}

// fileKind is what a profile file looks like from its first bytes.
type fileKind int

const (
	kindUnknown fileKind = iota
	kindPprof            // gzipped or plain protobuf, or pprof's legacy text formats
	kindTrace            // a runtime execution trace
)

func (k fileKind) String() string {
	switch k {
	case kindPprof:
		return "a pprof profile"
	case kindTrace:
		return "an execution trace"
	}
	return "an unknown file"
}

// sniff classifies a file by its header.
func sniff(head []byte) fileKind {
	switch {
	case bytes.HasPrefix(head, []byte("go 1.")):
		// "go 1.26 trace\x00\x00\x00" and older trace headers.
		if bytes.Contains(head, []byte(" trace\x00")) {
			return kindTrace
		}
		return kindUnknown
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}): // gzip, as pprof writes
		return kindPprof
	case len(head) > 0 && profileProtoTag(head[0]):
		// Uncompressed protobuf: the runtime writes time_nanos (field 9)
		// first, other writers sample_type (field 1). Parsing decides.
		return kindPprof
	}
	for _, prefix := range []string{"--- contention", "heap profile:", "--- heapz", "goroutine profile:"} {
		if bytes.HasPrefix(head, []byte(prefix)) {
			return kindPprof
		}
	}
	return kindUnknown
}

// checkFile verifies that path is a readable regular file of kind want and
// returns its absolute path.
func checkFile(path string, want fileKind) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", path, err)
	}
	f, err := os.Open(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", userError(fmt.Sprintf("no such file %s", path), "", err)
		}
		return "", userError(fmt.Sprintf("cannot read %s: %v", path, errors.Unwrap(err)), "", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return "", userError(fmt.Sprintf("%s is a directory, not %s", path, want), "", nil)
	}
	head := make([]byte, 64)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", userError(fmt.Sprintf("cannot read %s: %v", path, err), "", err)
	}
	if n == 0 {
		return "", userError(fmt.Sprintf("%s is empty", path), "", nil)
	}
	switch got := sniff(head[:n]); {
	case got == kindUnknown:
		return "", userError(fmt.Sprintf("%s is not %s", path, want), "", nil)
	case got != want:
		return "", userError(fmt.Sprintf("%s is %s, not %s", path, got, want), "", nil)
	}
	return abs, nil
}

// profileProtoTag reports whether b can start a profile.proto message: the
// key of one of its fields (1 to 14) with that field's wire type (varint
// for the numbers, length-delimited for messages, strings and packed ids).
func profileProtoTag(b byte) bool {
	field, wire := b>>3, b&7
	switch field {
	case 1, 2, 3, 4, 5, 6, 11, 13: // messages, strings, packed comment ids
		return wire == 2
	case 7, 8, 9, 10, 12, 14: // drop_frames, keep_frames, time, duration, period, default_sample_type
		return wire == 0
	}
	return false
}
