package bad

func slow() int { return 1 }

func malformed() {
	/* want "needs a reason" */ //advisor:ignore demo
	slow()
	/* want "unknown rule \"nosuch\"" */ //advisor:ignore nosuch because
	slow()
	/* want "needs a rule and a reason" */ //advisor:ignore
	slow()
	/* want "empty rule name" */ //advisor:ignore demo, reason
	slow()
	/* want "empty rule name in \"demo,other,\"" */ //advisor:ignore demo,other, trailing comma
	slow()
	//advisor:ignore demo,other fine
	slow()
	//advisor:ignorex demo not a directive at all
	slow()
}
