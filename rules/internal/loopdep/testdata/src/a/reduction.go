package a

// A sum over a slice.
func sum(xs []float64) float64 {
	total := 0.0
	for _, x := range xs { // want `loop: reduction: reduces total with \+`
		total += x
	}
	return total
}

// A max reduction with if.
func maxOf(xs []int) int {
	m := xs[0]
	for _, v := range xs { // want `loop: reduction: reduces m with max`
		if v > m {
			m = v
		}
	}
	return m
}

// A min reduction with the builtin.
func minOf(xs []int) int {
	m := xs[0]
	for _, v := range xs { // want `loop: reduction: reduces m with min`
		m = min(m, v)
	}
	return m
}

// Several reductions: count, product, bits.
func several(xs []int) (int, int, int) {
	n, p, bits := 0, 1, 0
	for i := range len(xs) { // want `loop: reduction: reduces n with \+, p with \*, bits with \|`
		if xs[i] > 0 {
			n++
		}
		p *= xs[i]
		bits |= 1 << uint(xs[i]%8)
	}
	return n, p, bits
}

// total = total + x.
func explicit(xs []int) int {
	total := 0
	for _, x := range xs { // want `loop: reduction: reduces total with \+`
		total = total + x*x
	}
	return total
}

// Range over a map with a reduction.
func mapSum(m map[string]int) int {
	s := 0
	for _, v := range m { // want `loop: reduction: reduces s with \+`
		s += v
	}
	return s
}
