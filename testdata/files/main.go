// Command files writes small files durably (fsync after each) and reads them
// back: its time goes to file system calls (advisor demo: class io/syscall).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

// writeFiles creates n files of size bytes in dir, syncing each to disk.
func writeFiles(dir string, n, size int) error {
	data := make([]byte, size)
	for i := 0; i < n; i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("f%04d", i)))
		if err != nil {
			return err
		}
		for off := 0; off < size; off += 512 {
			if _, err := f.Write(data[off : off+512]); err != nil {
				f.Close()
				return err
			}
			if err := f.Sync(); err != nil {
				f.Close()
				return err
			}
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// readFiles reads every file in dir in small chunks and returns the bytes read.
func readFiles(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	total := 0
	buf := make([]byte, 64)
	for _, e := range entries {
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return 0, err
		}
		for {
			n, err := f.Read(buf)
			total += n
			if err != nil {
				break
			}
		}
		f.Close()
	}
	return total, nil
}

func main() {
	n := flag.Int("n", 400, "number of files")
	size := flag.Int("size", 8192, "bytes per file")
	flag.Parse()
	dir, err := os.MkdirTemp("", "advisor-files-demo")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := writeFiles(dir, *n, *size); err != nil {
		log.Fatal(err)
	}
	total, err := readFiles(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote and read %d files, %d bytes\n", *n, total)
}
