package ok

// squares writes out[i] only.
func squares(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		v := square(x) // want workers
		out[i] = v + 1
	}
	return out
}
