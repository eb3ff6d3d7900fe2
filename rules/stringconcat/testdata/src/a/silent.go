package a

import "fmt"

func outsideLoop(a, b, c string) string {
	s := a
	s += b
	s += c
	return s
}

func declaredInLoop(words []string) []string {
	var out []string
	for _, w := range words {
		s := "<"
		s += w
		s += ">"
		out = append(out, s)
	}
	return out
}

func resetEachIteration(words []string) {
	var s string
	for _, w := range words {
		s = "prefix:"
		s += w
		fmt.Println(s)
	}
}

func numbers(xs []int) int {
	sum := 0
	for _, x := range xs {
		sum += x
		sum = sum + 1
	}
	return sum
}

func smallConstLoop() string {
	s := ""
	for i := 0; i < 4; i++ {
		s += "ab"
	}
	for _, p := range []string{"a", "b", "c"} {
		s += p
	}
	var arr [3]string
	for _, p := range arr {
		s += p
	}
	for range 5 {
		s += "-"
	}
	return s
}

func otherVar(words []string) string {
	var s, t string
	for _, w := range words {
		s = t + w // s does not grow from itself
	}
	return s
}

func sprintfWithoutSelf(words []string) string {
	var s string
	for _, w := range words {
		s = fmt.Sprintf("[%s]", w)
	}
	return s
}

func inClosure(words []string) func() {
	var s string
	return func() {
		s += "x" // not in a loop
		_ = words
	}
}

func closureInLoop(words []string) {
	for _, w := range words {
		go func() {
			var s string
			s += w // the loop is outside the closure
			_ = s
		}()
	}
}

type rec struct{ s string }

func field(r *rec, words []string) {
	for _, w := range words {
		r.s += w // fields are not tracked
	}
}

var flagNames = []string{"up", "broadcast", "loopback"}

func smallVar(f uint) string {
	s := ""
	for i, name := range flagNames {
		if f&(1<<uint(i)) != 0 {
			s += "|" + name
		}
	}
	return s
}

func onTheWayOut(next func() rune) string {
	tok := ""
	for {
		c := next()
		if c == '"' {
			tok += string(c)
			return tok
		}
		if c == 0 {
			tok += "!"
			break
		}
		tok += string(c) // want `tok is built by \+=`
	}
	return tok
}

func breakInSwitch(next func() rune) string {
	tok := ""
	for i := 0; i < 100; i++ {
		switch c := next(); c {
		case 'x':
			tok += "x" // want `tok is built by \+=`
			break      // leaves the switch only
		}
	}
	return tok
}
