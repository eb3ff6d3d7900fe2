package a

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"strings"
)

func alsoHashed(path string) int {
	data, _ := os.ReadFile(path)
	sum := sha256.Sum256(data)
	n := int(sum[0])
	for _, l := range strings.Split(string(data), "\n") {
		n += len(l)
	}
	return n
}

func decoded(r io.Reader) (map[string]any, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(data, &m)
}

func commaSplit(r io.Reader) int {
	data, _ := io.ReadAll(r)
	n := 0
	for _, f := range strings.Split(string(data), ",") {
		n += len(f)
	}
	return n
}

func indexed(path string) string {
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	return lines[0]
}

func countedAndRanged(path string) int {
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	n := len(lines)
	for _, l := range lines {
		n += len(l)
	}
	return n
}

func kept(path string) []string {
	data, _ := os.ReadFile(path)
	return strings.Split(string(data), "\n")
}

func rangedInLoop(path string, rounds int) int {
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	n := 0
	for range rounds {
		for _, l := range lines {
			n += len(l)
		}
	}
	return n
}

func reassigned(path string) int {
	var data []byte
	var err error
	data, err = os.ReadFile(path)
	_ = err
	n := 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		n += len(l)
	}
	return n
}

func fields(path string) int {
	data, _ := os.ReadFile(path)
	n := 0
	for _, w := range strings.Fields(string(data)) {
		n += len(w)
	}
	return n
}

func splitN(path string) int {
	data, _ := os.ReadFile(path)
	n := 0
	for _, l := range strings.SplitN(string(data), "\n", 2) {
		n += len(l)
	}
	return n
}

func trimmedWithSep(path string) int {
	data, _ := os.ReadFile(path)
	n := 0
	for _, l := range strings.Split("x", string(data)) {
		n += len(l)
	}
	return n
}
