package a

// The post statement of a for loop runs once per iteration, like the body
// (loopinv.Enclosing): a concatenation there grows the string each time.
func inPost(words []string) string {
	s := ""
	for i := 0; i < len(words); s += words[i] { // want `s is built by \+= in a loop`
		i++
	}
	return s
}

// The init statement runs once: no loop encloses it.
func inInit(words []string) string {
	s := ""
	for s += words[0]; len(s) < 10; {
		break
	}
	return s
}
