package fix

func fixed(m map[string]int, k string) int {
	if _, ok := m[k]; ok {
		return m[k] * m[k] // want `m\[k\] is looked up again`
	}
	return 0
}

func withElse(m map[string]int, k string) int {
	if _, ok := m[k]; !ok {
		return -1
	} else {
		return m[k] // want `m\[k\] is looked up again`
	}
}

func nameTaken(m map[string]int, k string, v int) int {
	if _, ok := m[k]; ok {
		return m[k] + v // want `m\[k\] is looked up again`
	}
	return 0
}

func notInIf(m map[string]int, k string) int {
	_, ok := m[k]
	if ok {
		return m[k] // want `m\[k\] is looked up again`
	}
	return 0
}

func partlyWritten(m map[string]int, k string) int {
	if _, ok := m[k]; ok {
		n := m[k] // want `m\[k\] is looked up again`
		m[k] = n + 1
		return m[k]
	}
	return 0
}

func twoReads(m map[string]int, k string) int {
	if _, ok := m[k]; !ok {
		return -1
	}
	return m[k] * 2 // want `m\[k\] is looked up again`
}

func twoReadsLater(m map[string][]int, k string) int {
	if _, ok := m[k]; !ok {
		return 0
	}
	n := 0
	for _, x := range m[k] { // want `m\[k\] is looked up again`
		n += x
	}
	return n + len(m[k])
}

func twoReadsWritten(m map[string]int, k string) int {
	if _, ok := m[k]; !ok {
		m[k] = 1
	}
	return m[k]
}

func twoReadsOkReused(m, o map[string]int, k string) int {
	if _, ok := m[k]; !ok {
		return -1
	}
	if _, ok := o[k]; ok {
		return 0
	}
	return m[k] // want `m\[k\] is looked up again`
}

func twoReadsKeyChanged(m map[string]int, k string) int {
	if _, ok := m[k]; !ok {
		k = "x"
	}
	return m[k]
}
