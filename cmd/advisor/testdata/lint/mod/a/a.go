// Package a is a fixture for advisor lint's tests.
package a

func slow() int { return 1 }

func fast() int { return 1 }

// Plain calls slow once.
func Plain() int {
	return slow()
}

// T has methods.
type T struct{}

// M calls slow in a closure.
func (t *T) M() int {
	f := func() int { return slow() }
	return f()
}

// Suppressed calls slow but says why.
func Suppressed() int {
	return slow() //advisor:ignore slowcall the fixture says so
}

// Malformed has a directive without a reason, which suppresses nothing.
func Malformed() int {
	//advisor:ignore slowcall
	return slow()
}
