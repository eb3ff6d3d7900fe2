package a

import (
	"bytes"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"strings"
)

func readFile(path string) error {
	data, err := os.ReadFile(path) // want `the whole input read by os.ReadFile is only split into lines and iterated; read it line by line with a bufio.Scanner`
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		fmt.Println(line)
	}
	return nil
}

func readAll(r io.Reader) (int, error) {
	data, err := io.ReadAll(r) // want `read by io.ReadAll`
	if err != nil {
		return 0, err
	}
	n := 0
	lines := strings.Split(strings.TrimSpace(string(data)), "\r\n")
	for i, l := range lines {
		n += i + len(l)
	}
	return n, nil
}

func bytesSplit(r io.Reader) int {
	var data, _ = io.ReadAll(r) // want `read by io.ReadAll`
	n := 0
	for _, l := range bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")) {
		n += len(l)
	}
	return n
}

func byteLit(r io.Reader) int {
	data, _ := ioutil.ReadAll(r) // want `read by ioutil.ReadAll`
	n := 0
	for _, l := range bytes.SplitAfter(data, []byte{'\n'}) {
		n += len(l)
	}
	return n
}

func linesIter(path string) int {
	data, _ := ioutil.ReadFile(path) // want `read by ioutil.ReadFile`
	n := 0
	for l := range strings.Lines(string(data)) {
		n += len(l)
	}
	return n
}

func bytesLines(r io.Reader) int {
	data, _ := io.ReadAll(r) // want `read by io.ReadAll`
	n := 0
	for l := range bytes.Lines((data)) {
		n += len(l)
	}
	return n
}

func inLoop(paths []string) int {
	n := 0
	for _, p := range paths {
		data, _ := os.ReadFile(p) // want `read by os.ReadFile`
		lines := strings.Split(string(data), "\n")
		for _, l := range lines {
			n += len(l)
		}
	}
	return n
}
