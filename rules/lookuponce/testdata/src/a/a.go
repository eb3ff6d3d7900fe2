package a

import (
	"fmt"
	"strings"
)

type point struct{ x, y int }

type index struct {
	byName map[string]*point
	n      int
}

var global = map[string]int{}

func commaOK(m map[string]int, k string) int {
	if _, ok := m[k]; ok {
		return m[k] // want `m\[k\] is looked up again with no write in between \(keep the value: v, ok := m\[k\]\)`
	}
	return 0
}

func sameExpr(pts map[string]point, k string) int {
	return pts[k].x + pts[k].y // want `pts\[k\] is looked up again with no write in between \(read it once into a variable\)`
}

func nilCheck(idx *index, k string) int {
	if idx.byName[k] != nil {
		return idx.byName[k].x // want `idx.byName\[k\] is looked up again`
	}
	return 0
}

func constKey(m map[string]int) int {
	v := m["const"]
	w := m["const"] // want `m\["const"\] is looked up again`
	return v + w
}

func andGuard(m map[string]int, k string) int {
	if k != "" && m[k] > 0 {
		return m[k] // want `m\[k\] is looked up again`
	}
	return 0
}

func loopCond(m map[string]int, k string) int {
	total := 0
	for i := 0; i < m[k]; i++ {
		total += m[k] // want `m\[k\] is looked up again`
	}
	return total
}

func pureBetween(k string) int {
	x := global[k]
	y := len(strings.ToLower(k)) + global[k] // want `global\[k\] is looked up again`
	return x + y
}

func threeReads(pts map[string]point, k string) int {
	return pts[k].x + pts[k].y + pts[k].x // want `pts\[k\] is looked up again`
}

func callKey(k string) int {
	return global[strings.ToLower(k)] + global[strings.ToLower(k)] // the key has a call: not compared
}

func differentKeys(m map[string]int, k, k2 string) int {
	return m[k] + m[k2]
}

func differentMaps(m, m2 map[string]int, k string) int {
	return m[k] + m2[k]
}

func written(m map[string]int, k string) int {
	if _, ok := m[k]; ok {
		m[k] = 3
		return m[k] // written in between
	}
	return 0
}

func deleted(m, m2 map[string]int, k string) int {
	if _, ok := m[k]; ok {
		delete(m2, k)
		return m[k] // m2 may be m
	}
	return 0
}

func keyChanged(m map[string]int, k, k2 string) int {
	if _, ok := m[k]; ok {
		k = k2
		return m[k] // the key changed
	}
	return 0
}

func unknownCall(m map[string]int, k string, f func()) int {
	if _, ok := m[k]; ok {
		f()
		return m[k] // an unknown call may write m
	}
	return 0
}

func printed(m map[string]int, k string) int {
	if _, ok := m[k]; ok {
		fmt.Println("x")
		return m[k] // fmt.Println is not known to be pure
	}
	return 0
}

func branches(m map[string]int, k string) int {
	if k == "" {
		return m[k]
	} else {
		return m[k] // a different branch
	}
}

func readModifyWrite(m map[string]int, k string) {
	m[k]++          // one read
	m[k] += 2       // one read
	m[k] = m[k] + 1 // one read and one write
}

func orGuard(m map[string]int, k string) int {
	if k == "" || m[k] > 0 {
		return m[k] // the first read may not have run
	}
	return 0
}

func andOutsideIf(m map[string]int, k string) int {
	x := k != "" && m[k] > 0
	_ = x
	return m[k] // the first read may not have run
}

func elseOfAnd(m map[string]int, k string) int {
	if k != "" && m[k] > 0 {
		return 1
	} else {
		return m[k] // the first read may not have run
	}
}

func caseExprs(m map[string]int, k string) int {
	switch {
	case m[k] > 0:
		return 1
	case m[k] < 0: // case expressions run until one matches
		return -1
	}
	return 0
}

func loopWrites(m map[string]int, k, k2 string) int {
	total := m[k]
	for i := 0; i < 100; i++ {
		total += m[k] // the loop writes the map before the next read
		m[k2] = i
	}
	return total
}

func closure(m map[string]int, k string) int {
	w := m[k]
	func() {
		w += m[k] // another function
	}()
	return w
}

func channel(m map[string]int, k string, ch chan int) int {
	u := m[k]
	<-ch
	return m[k] + u // a channel receive may let another goroutine write m
}

func pointer(m map[string]int, k string) int {
	p := &k
	z := m[k]
	*p = "other"
	return m[k] + z // the key changed through p
}

func fieldAlias(idx *index, other *index, k string) int {
	n := idx.byName[k].x
	other.byName = nil
	return n + idx.byName[k].y // other may be idx
}

func storeThroughElem(m map[string]*point, k string) *point {
	m[k].x = 1
	return m[k] // want `m\[k\] is looked up again`
}

func use(int) int { return 0 }

func callAfterFirst(m map[string]int, k string) int {
	use(m[k]) // use runs after the first read and may write m
	return m[k]
}

func assignAfterFirst(m map[string]int, k, k2 string) int {
	m[k2] = m[k] // the write happens after the first read
	return m[k]
}

func failureMessage(m map[string]int, k string, want int) {
	if m[k] != want {
		panic(fmt.Sprintf("m[%q] = %d, want %d", k, m[k], want)) // an error path
	}
}

func blank(m map[string]int, k string) {
	_ = m[k]
	_ = m[k] // a benchmark measuring the lookup
}

func appendGroup(m map[string][]int, k string, keys []string, v int) []string {
	if m[k] == nil {
		keys = append(keys, k)
	}
	m[k] = append(m[k], v) // the compiler hashes k once for this statement
	return keys
}

func appendOther(m map[string][]int, k, k2 string, v int) {
	if m[k] == nil {
		return
	}
	m[k2] = append(m[k], v) // want `m\[k\] is looked up again`
}

type reporter interface{ Errorf(string, ...any) }

func helperReport(r reporter, m map[string]int, k string) {
	if m[k] != 0 {
		r.Errorf("got %d", m[k]) // a failure message through a test helper
	}
}

func loopPost(used map[string]bool, id string) string {
	for exist := used[id]; exist; exist = used[id] { // the body changes id before the post statement
		id = "_" + id
	}
	return id
}

func loopCondRead(m map[string]int, k string) int {
	n := 0
	for x := m[k]; m[k] > n; n++ { // want `m\[k\] is looked up again`
		_ = x
	}
	return n
}
