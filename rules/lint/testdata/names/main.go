// Command names prints, for every call of here, the call's line and the
// name the runtime (and so pprof) gives the calling function.
package main

import (
	"fmt"
	"path/filepath"
	"runtime"

	"example.com/names/sub.pkg"
)

func here() {
	pc, file, line, _ := runtime.Caller(1)
	fmt.Println(filepath.Base(file), line, runtime.FuncForPC(pc).Name())
}

type T struct{}

func (T) V()  { here() }
func (*T) P() { here() }

type G[E any] struct{}

func (G[E]) V()  { here() }
func (*G[E]) P() { here() }

func Gen[E any](E) { here() }

var glob = func() int { here(); return 1 }()
var glob2 = func() int { here(); return 2 }()

func init() { here() }
func init() { here(); func() { here() }() }

func seq(yield func(int) bool) { yield(1) }

func outer() {
	a := func() { here() }
	b := func() {
		c := func() { here() }
		d := func() { func() { here() }() }
		c()
		d()
	}
	var fs []func()
	for i := 0; i < 1; i++ {
		fs = append(fs, func() { here() })
	}
	defer func() { here() }()
	a()
	b()
	fs[0]()
	func() { here() }()
	for range seq {
		here()
		for range seq {
			here()
			func() { here() }()
		}
	}
	f := func() {
		for range seq {
			here()
			func() { here() }()
		}
	}
	f()
	for range seq {
		here()
	}
}

func (t *T) withClosure() { func() { here() }() }

func main() {
	_, _ = glob, glob2
	T{}.V()
	new(T).P()
	G[int]{}.V()
	new(G[int]).P()
	Gen(1)
	outer()
	new(T).withClosure()
	done := make(chan bool)
	go func() { here(); done <- true }()
	<-done
	sub.F()
}
