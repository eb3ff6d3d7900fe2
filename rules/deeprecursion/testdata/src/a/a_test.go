package a

// Tests recurse deeply on purpose.
func growStack(n int) int {
	if n == 0 {
		return 0
	}
	return 1 + growStack(n-1)
}
