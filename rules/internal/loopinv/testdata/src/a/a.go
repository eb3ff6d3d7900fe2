package a

import (
	"os"
	"strings"
	"time"
)

func trips()   {}
func depth()   {}
func once()    {}
func sink(any) {}

var global string

type T struct{ s string }

func (t *T) set(s string) { t.s = s }

func basics(xs []string, s string, n int, p *T) {
	const c = "k"
	for i := 0; i < n; i++ {
		_ = c                      // want "invariant"
		_ = "lit"                  // want "invariant"
		_ = s                      // want "invariant"
		_ = i                      // want "variant"
		_ = s + c                  // want "invariant"
		_ = strings.ToLower(s)     // want "invariant"
		_ = strings.ToLower(xs[i]) // want "variant"
		_ = os.Getenv("HOME")      // want "invariant"
		_ = len(s)                 // want "invariant"
		_ = string(rune(n))        // want "invariant"
		_ = time.Second * 2        // want "invariant"
		_ = xs                     // want "invariant"
		_ = p.s                    // want "invariant"
		_ = global                 // want "invariant"
		for _, x := range xs {
			_ = x // want "variant"
			_ = i // want "invariant"
		}
	}
}

func assigned(xs []string, s string) {
	for _, x := range xs {
		_ = s // want "variant"
		s = x
	}
	for range xs {
		_ = s // want "variant"
		s += "x"
	}
	k := 0
	for range xs {
		_ = k // want "variant"
		k++
	}
	var y int
	for y = range xs {
		_ = y // want "variant"
	}
	t := T{}
	for range xs {
		_ = t.s // want "variant"
		t.s = "a"
	}
	for range xs {
		_ = s // want "variant"
		func() { s = "x" }()
	}
}

func effects(xs []string, m map[string]int, p *T, f func()) {
	for range xs {
		_ = p.s // want "variant"
		p.s = "x"
	}
	for range xs {
		_ = p.s // want "variant"
		f()
	}
	for range xs {
		_ = global // want "variant"
		f()
	}
	for range xs {
		_ = os.Stdout // want "invariant"
		f()
	}
	for range xs {
		_ = os.Args[0] // want "variant"
		f()
	}
	for range xs {
		_ = m["a"] // want "variant"
		m["b"] = 1
	}
	for range xs {
		_ = len(m) // want "variant"
		delete(m, "a")
	}
	for range xs {
		_ = xs[0] // want "variant"
		xs[1] = "y"
	}
	for range xs {
		_ = m["a"] // want "invariant"
		sink := strings.ToUpper("x")
		_ = sink // want "variant"
	}
}

func unaryOps(xs []string, s string, ch chan int) {
	for range xs {
		_ = &s      // want "variant"
		_ = <-ch    // want "variant"
		_ = -len(s) // want "variant"
	}
}

func addressTaken(xs []string, f func()) {
	s := "a"
	q := &s
	_ = q
	for range xs {
		_ = s // want "variant"
		f()
	}
	for range xs {
		_ = s // want "invariant"
	}
	var t T
	t.set("x")
	for range xs {
		_ = t.s // want "variant"
		f()
	}
	var u string
	g := func() { u = "y" }
	for range xs {
		_ = u // want "variant"
		g()
	}
}

func notPerIteration(xs []string, s string) {
	depth() // want "depth 0"
	for range xs {
		for range xs {
			depth() // want "depth 2"
		}
	}
	for i := len(strings.Split(s, ",")); i > 0; i-- {
		depth() // want "depth 1"
	}
	for range strings.Split(s, ",") {
		depth() // want "depth 1"
	}
	for range xs {
		go func() {
			depth() // want "depth 0"
		}()
	}
	for i := 0; i < 3; i++ {
		_ = i < 3 // want "variant"
	}
	_ = s
}

func leaving(xs []string, s string) string {
	for _, x := range xs {
		if x == s {
			once() // want "leaves"
			return x
		}
		if x == "" {
			once() // want "leaves"
			break
		}
		if x == "p" {
			once() // want "leaves"
			panic(x)
		}
		switch x {
		case "a":
			once()
			break
		case "b":
			once() // want "leaves"
			return ""
		}
		if x == "c" {
			once()
			continue
		}
		once()
	}
outer:
	for range xs {
		for range xs {
			once() // want "leaves"
			break outer
		}
		for range xs {
			once() // want "leaves"
			break
		}
	}
	for range xs {
		if s == "" {
			once() // want "leaves"
		} else {
			once() // want "leaves"
		}
		if s == "" {
			return ""
		} else {
			return "x"
		}
	}
	return ""
}

func tripCounts(n int, arr [4]int, xs []int) {
	for i := 0; i < 3; i++ {
		trips() // want "trips 3"
	}
	for i := 1; i <= 10; i += 2 {
		trips() // want "trips 5"
	}
	for i := 5; i > 0; i-- {
		trips() // want "trips 5"
	}
	for range 7 {
		trips() // want "trips 7"
	}
	for range arr {
		trips() // want "trips 4"
	}
	for range []string{"a", "b"} {
		trips() // want "trips 2"
	}
	for i := 0; i < n; i++ {
		trips() // want "trips unknown"
	}
	for range xs {
		trips() // want "trips unknown"
	}
	for i := 0; i < 3; i++ {
		trips() // want "trips unknown"
		i--
	}
}
