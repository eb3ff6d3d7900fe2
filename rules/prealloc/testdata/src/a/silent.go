package a

func filtered(xs []int) []int {
	var out []int
	for _, x := range xs {
		if x > 0 {
			out = append(out, x)
		}
	}
	return out
}

func continueBefore(xs []int) []int {
	var out []int
	for _, x := range xs {
		if x < 0 {
			continue
		}
		out = append(out, x)
	}
	return out
}

func earlyBreak(xs []int) []int {
	var out []int
	for _, x := range xs {
		out = append(out, x)
		if len(out) == 3 {
			break
		}
	}
	return out
}

func earlyReturn(xs []int) []int {
	var out []int
	for _, x := range xs {
		if x < 0 {
			return nil
		}
		out = append(out, x)
	}
	return out
}

func twice(xs []int) []int {
	var out []int
	for _, x := range xs {
		out = append(out, x)
		out = append(out, -x)
	}
	return out
}

func hasCap(xs []int) []int {
	out := make([]int, 0, len(xs))
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}

func nonEmpty(xs []int) []int {
	out := []int{1}
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}

func usedBetween(xs []int, seed []int) []int {
	var out []int
	out = seed
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}

func overString(s string) []rune {
	var out []rune
	for _, r := range s {
		out = append(out, r)
	}
	return out
}

func overChan(ch chan int) []int {
	var out []int
	for x := range ch {
		out = append(out, x)
	}
	return out
}

func overCall(get func() []int) []int {
	var out []int
	for _, x := range get() {
		out = append(out, x)
	}
	return out
}

func notFromZero(n int) []int {
	var out []int
	for i := 1; i < n; i++ {
		out = append(out, i)
	}
	return out
}

func indexWritten(n int) []int {
	var out []int
	for i := 0; i < n; i++ {
		out = append(out, i)
		i++
	}
	return out
}

func boundChanges(xs []int) []int {
	var out []int
	for i := 0; i < len(xs); i++ {
		out = append(out, xs[i])
		xs = xs[1:]
	}
	return out
}

func resliced(xs []int) []int {
	var out []int
	for _, x := range xs {
		out = append(out, x)
		out = out[:0]
	}
	return out
}

func nested(xss [][]int) []int {
	var out []int
	for _, xs := range xss {
		for _, x := range xs {
			out = append(out, x)
		}
	}
	return out
}

func inClosure(xs []int) []int {
	var out []int
	for _, x := range xs {
		func() {
			out = append(out, x)
		}()
	}
	return out
}

func gotoOut(xs []int) []int {
	var out []int
	for _, x := range xs {
		out = append(out, x)
		if x == 0 {
			goto done
		}
	}
done:
	return out
}

var global []int

func packageLevel(xs []int) {
	for _, x := range xs {
		global = append(global, x)
	}
}

func otherSlice(xs, out []int) []int {
	var res []int
	for _, x := range xs {
		res = append(out, x)
	}
	return res
}
