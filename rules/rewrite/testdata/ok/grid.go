package ok

// grid fills rows in a nested loop; the hot line is in the callee.
func grid(w, h int) [][]float64 {
	img := make([][]float64, h)
	for y := range h {
		row := make([]float64, w)
		for x := 0; x < w; x++ {
			row[x] = cell(x, y)
		}
		img[y] = row
	}
	return img
}

func cell(x, y int) float64 {
	v := 0.0 // want workers
	for i := 0; i < x+y; i++ {
		v += square(float64(i))
	}
	return v
}
