package a

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

func positives(files []string, name, list, dir string, n int, re *regexp.Regexp) {
	for _, f := range files {
		if strings.HasPrefix(f, os.Getenv("HOME")) { // want `os.Getenv is called with loop-invariant arguments on every iteration \(compute it once before the loop\)`
			fmt.Println(f)
		}
	}
	for _, f := range files {
		if f == strings.ToLower(name) { // want `strings.ToLower is called`
			fmt.Println(f)
		}
	}
	for _, f := range files {
		for _, part := range strings.Split(list, ",") { // want `strings.Split is called`
			fmt.Println(f, part)
		}
	}
	for _, f := range files {
		for _, part := range strings.Split(strings.ToLower(list), ",") { // want `strings.Split is called`
			fmt.Println(f, part)
		}
	}
	for _, f := range files {
		abs, _ := filepath.Abs(dir) // want `filepath.Abs is called`
		fmt.Println(abs, f)
	}
	for i := 0; i < n; i++ {
		fmt.Println(i, strconv.Itoa(n)) // want `strconv.Itoa is called`
	}
	for i := 0; i < len(strings.Fields(list)); i++ { // want `strings.Fields is called`
		fmt.Println(i)
	}
	for _, f := range files {
		if re.MatchString(name) { // want `regexp.Regexp.MatchString is called`
			_ = f
		}
	}
	for _, f := range files {
		p := filepath.Join(dir, "x") // want `filepath.Join is called`
		_ = f + p
	}
	home := "h"
	for _, f := range files {
		for _, g := range files {
			_ = f + g + strings.ToUpper(f) // want `strings.ToUpper is called`
			_ = home
		}
	}
}

func negatives(files []string, name, list, dir string, n int, re *regexp.Regexp) string {
	_ = os.Getenv("HOME") // not in a loop
	for _, f := range files {
		_ = strings.ToLower(f) // the range variable
	}
	for _, f := range files {
		_ = strings.ToLower(name) // name changes below
		name = f
	}
	for _, f := range files {
		_ = strings.HasPrefix(f, name) // cheap: not on the list
		_ = strings.TrimSpace(name)    // cheap: not on the list
	}
	for i := 0; i < 3; i++ { // too short to matter
		_ = os.Getenv("HOME")
	}
	for _, f := range files {
		if f == "" {
			return strings.ToLower(name) // runs at most once
		}
	}
	for _, f := range files {
		os.Setenv("X", f)
		_ = os.Getenv("X") // the loop changes the environment
	}
	for _, f := range files {
		_ = os.Chdir(f)
		abs, _ := filepath.Abs(dir) // the loop changes the working directory
		_ = abs
	}
	for range files {
		_ = strings.Join(files, ",") // files is written in the loop
		files[0] = "x"
	}
	for range files {
		go func() {
			_ = strings.ToLower(name) // its own function
		}()
	}
	for _, f := range files {
		_ = strings.ToLower(name)
		fmt.Sscan(f, &name) // name is written through its address
	}
	p := &dir
	for _, f := range files {
		*p = f
		_ = filepath.Clean(dir) // dir is written through p
	}
	for _, f := range files {
		_ = customLower(name) // not a standard-library function
		_ = f
	}
	var s strings.Builder
	for range files {
		s.WriteString("x")
		_ = strings.ToLower(s.String()) // a method of a mutated builder
	}
	return ""
}

func customLower(s string) string { return s }
