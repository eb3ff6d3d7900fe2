package a

import "fmt"

type name string

func plusAssign(words []string) string {
	var s string
	for _, w := range words {
		s += w + " " // want `s is built by \+= in a loop; each iteration copies the whole string \(use a strings.Builder\)`
	}
	return s
}

func plus(words []string) string {
	s := ""
	for i := 0; i < len(words); i++ {
		s = s + "," + words[i] // want `s is built by \+ in a loop`
	}
	return s
}

func prepend(words []string) string {
	s := ""
	for _, w := range words {
		s = w + s // want `s is built by \+ in a loop`
	}
	return s
}

func sprintf(m map[string]int) string {
	out := ""
	for k, v := range m {
		out = fmt.Sprintf("%s%s=%d;", out, k, v) // want `out is built by fmt.Sprintf in a loop`
	}
	return out
}

func namedString(parts []name) name {
	var n name
	for _, p := range parts {
		n += p // want `n is built by \+= in a loop`
	}
	return n
}

func innerLoop(rows [][]string) []string {
	var lines []string
	for _, row := range rows {
		line := ""
		for _, c := range row {
			line += c // want `line is built by \+= in a loop`
		}
		lines = append(lines, line)
	}
	return lines
}

func whileLoop(next func() (string, bool)) string {
	var s string
	for {
		x, ok := next()
		if !ok {
			break
		}
		s += x // want `s is built by \+= in a loop`
	}
	return s
}

func largeConst() string {
	s := ""
	for i := 0; i < 100; i++ {
		s += "x" // want `s is built by \+= in a loop`
	}
	return s
}

func oncePerVariable(rows [][]string) string {
	s := ""
	for _, r := range rows {
		s += "<tr>" // want `s is built by \+= in a loop \(here and in 3 more places\)`
		s += r[0]
		s += "</tr>"
	}
	t := ""
	for _, r := range rows {
		t += r[1] // want `t is built by \+= in a loop;`
	}
	// A second loop that builds s is the same change (s becomes a
	// strings.Builder): no second finding.
	for _, r := range rows {
		s += r[1]
	}
	return s + t
}
