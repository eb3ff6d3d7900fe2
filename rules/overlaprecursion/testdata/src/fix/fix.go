package fix

func fib(n int) int {
	if n < 2 {
		return n // base case
	}
	return fib(n-1) + fib(n-2) // want `fib calls itself`
}

func grid(i, j int) int {
	if i == 0 || j == 0 {
		return 1
	}
	return grid(i-1, j) + grid(i, j-1) // want `grid calls itself`
}

func count(s string, n int) int {
	if n <= 0 {
		return len(s)
	}
	return count(s, n-1) + count(s, n-2) // want `count calls itself`
}

// A method: reported without a fix.
type T struct{}

func (t T) m(n int) int {
	if n < 2 {
		return n
	}
	return t.m(n-1) + t.m(n-2) // want `m calls itself`
}

// Assigns to its parameter: reported without a fix.
func shrink(n int) int {
	if n < 2 {
		return n
	}
	n--
	return shrink(n-1) + shrink(n-2) // want `shrink calls itself`
}

// Names the rewrite would introduce are already taken.
func taken(n int8) int {
	if n < 2 {
		return int(n)
	}
	v := taken(n-1) // want `taken calls itself`
	ok := taken(n - 2)
	rec := v + ok
	return rec
}
