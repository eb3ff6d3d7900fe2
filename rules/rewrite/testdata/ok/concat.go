package ok

type label string

// join appends with += and with s = s + ...; the loops use s nowhere else.
func join(words []string, tags []label) (string, label) {
	s := "["
	for _, w := range words {
		if w == "" {
			continue
		}
		s += w + " " // want builder
	}
	var l label
	for i := 0; i < len(tags); i++ {
		l = l + tags[i] + "," // want builder
	}
	return s + "]", l
}
