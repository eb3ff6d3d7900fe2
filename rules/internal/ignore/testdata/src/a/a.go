package a

func slow() int { return 1 }

func plain() {
	slow() // want "call to slow"
}

func endOfLine() {
	slow() //advisor:ignore demo the input is tiny
	slow() // want "call to slow"
}

func lineAbove() {
	//advisor:ignore demo measured: not hot
	slow()
	slow() // want "call to slow"
}

func otherRule() {
	slow() //advisor:ignore other not this rule // want "call to slow"
}

func listed() {
	slow() //advisor:ignore other,demo both apply here
}

// covered is suppressed as a whole, closures included.
//
//advisor:ignore demo startup only
func covered() {
	slow()
	func() {
		slow()
	}()
}

func afterCovered() {
	slow() // want "call to slow"
}

// Malformed directives suppress nothing.
func malformed() {
	//advisor:ignore demo
	slow() // want "call to slow"
	//advisor:ignore nosuch because
	slow() // want "call to slow"
	//advisor:ignorex demo not a directive at all
	slow() // want "call to slow"
}

var _ = slow() //advisor:ignore demo package-level initializer
