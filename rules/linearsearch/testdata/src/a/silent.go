package a

import (
	"errors"
	"slices"
)

var small = []string{"GET", "HEAD", "POST"}

func smallLiteral(methods []string) int {
	n := 0
	for _, m := range methods {
		if slices.Contains(small, m) {
			n++
		}
		if slices.Contains([]string{"a", "b"}, m) {
			n++
		}
	}
	return n
}

func dedup(xs []int) []int {
	var out []int
	for _, x := range xs {
		if !slices.Contains(out, x) { // out grows in the loop
			out = append(out, x)
		}
	}
	return out
}

func dedupInner(xs []int) []int {
	var out []int
	for _, x := range xs {
		found := false
		for _, o := range out {
			if o == x {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

func invariantNeedle(xs []string, b []string, k string) int {
	n := 0
	for range xs {
		if slices.Contains(b, k) { // the needle does not change: hoist, not a set
			n++
		}
	}
	return n
}

func notInLoop(b []string, k string) bool {
	return slices.Contains(b, k)
}

func overLiteral(b []string) int {
	n := 0
	for _, k := range []string{"x", "y", "z"} {
		if slices.Contains(b, k) {
			n++
		}
	}
	return n
}

func overArray(b []string, arr [3]string) int {
	n := 0
	for _, k := range arr {
		if slices.Contains(b, k) {
			n++
		}
	}
	return n
}

func overInt(b []int, count int) int {
	n := 0
	for i := range count {
		if slices.Contains(b, i) {
			n++
		}
	}
	return n
}

func declaredInside(xs [][]int) int {
	n := 0
	for _, x := range xs {
		b := x[1:]
		if slices.Contains(b, x[0]) {
			n++
		}
	}
	return n
}

func modifiedElem(xs []int, b []int) int {
	n := 0
	for i, x := range xs {
		if slices.Contains(b, x) {
			n++
		}
		b[i%len(b)] = x
	}
	return n
}

func interfaceElems(errs []error, targets []error) int {
	n := 0
	for _, e := range errs {
		if slices.Contains(targets, e) {
			n++
		}
	}
	return n
}

func notEquality(a, b []int) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if y < x {
				n++
				break
			}
		}
	}
	return n
}

func doesMore(a, b []int) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			n++
			if y == x {
				break
			}
		}
	}
	return n
}

func noExit(a, b []int) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if y == x {
				n++ // counts all matches: a map of counts would do, but it is not a membership test
			}
		}
	}
	return n
}

func indexVsValue(a, b []int) int {
	n := 0
	for _, x := range a {
		for i := range b {
			if i == x {
				n++
				break
			}
		}
	}
	return n
}

func inClosure(a, b []int) func() bool {
	for range a {
		return func() bool { return slices.Contains(b, 1) }
	}
	return nil
}

func usesErrorsIs(errs []error, target error) bool {
	for _, e := range errs {
		if errors.Is(e, target) {
			return true
		}
	}
	return false
}

func arrayHay(a []int, b [16]int) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if y == x {
				n++
				break
			}
		}
	}
	return n
}

func variadicHay(xs []int, valid ...int) int {
	n := 0
	for _, x := range xs {
		if slices.Contains(valid, x) {
			n++
		}
	}
	return n
}

var few = []string{"bytes", "os", "strings"}

func outerSmallLiteral(imports []string) int {
	n := 0
	for _, w := range few {
		if slices.Contains(imports, w) {
			n++
		}
	}
	want := []string{"a", "b"}
	for _, w := range want {
		for _, imp := range imports {
			if imp == w {
				n++
				break
			}
		}
	}
	return n
}
