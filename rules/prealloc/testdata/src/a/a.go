package a

type user struct{ Name string }

func varDecl(users []user) []string {
	var names []string
	for _, u := range users {
		names = append(names, u.Name) // want `names grows by append once per iteration of a loop with len\(users\) iterations; preallocate it \(make\(\[\]string, 0, len\(users\)\)\)`
	}
	return names
}

func emptyLit(xs []int) []int {
	out := []int{}
	for _, x := range xs {
		out = append(out, x*2) // want `out grows by append`
	}
	return out
}

func makeZero(n int) []int {
	out := make([]int, 0)
	for i := 0; i < n; i++ {
		out = append(out, i) // want `make\(\[\]int, 0, n\)`
	}
	return out
}

func overMap(m map[string]int) []string {
	var keys = []string{}
	for k := range m {
		keys = append(keys, k) // want `keys grows by append`
	}
	return keys
}

func overInt(n int) []int {
	out := []int{}
	for i := range n {
		out = append(out, i*i) // want `make\(\[\]int, 0, n\)`
	}
	return out
}

func overArrayPtr(p *[4]int) []int {
	out := []int{}
	for _, x := range p {
		out = append(out, x) // want `out grows by append`
	}
	return out
}

func labeled(xs [][]int) []int {
	out := []int{}
outer:
	for _, row := range xs {
		out = append(out, len(row)) // want `out grows by append`
		for _, x := range row {
			if x < 0 {
				continue outer // after the append: the count is still exact
			}
		}
	}
	return out
}

func innerBreak(xs []int) []int {
	out := []int{}
	for _, x := range xs {
		switch {
		case x < 0:
			break // leaves the switch, not the loop
		}
		for range 3 {
			break // leaves the inner loop
		}
		out = append(out, x) // want `out grows by append`
	}
	return out
}

func field(s struct{ items []int }) []int {
	out := []int{}
	for _, x := range s.items {
		out = append(out, x) // want `len\(s.items\)`
	}
	return out
}

func boundDeclaredLater(get func() []int) []int {
	out := []int{}
	xs := get()
	for _, x := range xs {
		out = append(out, x) // want `out grows by append`
	}
	return out
}

func counted(xs []int) []int {
	out := []int{}
	for i := 0; i < len(xs); i++ {
		out = append(out, xs[i]) // want `make\(\[\]int, 0, len\(xs\)\)`
	}
	return out
}

type other struct{ b []byte }

func qualified(xs []int) []*other {
	var out []*other
	for range xs {
		out = append(out, nil) // want `make\(\[\]\*other, 0, len\(xs\)\)`
	}
	return out
}

func multiName(users []user) ([]string, []int) {
	var names, ids []string
	for _, u := range users {
		names = append(names, u.Name) // want `names grows by append once per iteration`
	}
	var a, b []int
	for i := range users {
		a = append(a, i) // want `a grows by append once per iteration`
		b = append(b, -i) // want `b grows by append once per iteration`
	}
	_ = ids
	return names, append(a, b...)
}

func multiNameUsedBefore(users []user) []string {
	var names, other []string
	names = append(names, "x")
	for _, u := range users {
		names = append(names, u.Name) // used before the loop: not empty
	}
	return append(names, other...)
}
