// Command mandelbrot is testdata/mandelbrot with the fix advisor recommends:
// rows are rendered by a pool of GOMAXPROCS workers.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
)

func escape(cr, ci float64, max int) int {
	zr, zi := 0.0, 0.0
	for i := 0; i < max; i++ {
		zr, zi = zr*zr-zi*zi+cr, 2*zr*zi+ci
		if zr*zr+zi*zi > 4 {
			return i
		}
	}
	return max
}

// render hands rows to runtime.GOMAXPROCS(0) workers; rows are independent.
func render(width, height, max int) [][]int {
	img := make([][]int, height)
	rows := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := range rows {
				row := make([]int, width)
				for x := 0; x < width; x++ {
					row[x] = escape(-2+3*float64(x)/float64(width), -1.5+3*float64(y)/float64(height), max)
				}
				img[y] = row
			}
		}()
	}
	for y := 0; y < height; y++ {
		rows <- y
	}
	close(rows)
	wg.Wait()
	return img
}

func main() {
	size := flag.Int("size", 1400, "image width and height in pixels")
	max := flag.Int("max", 800, "maximum iterations per pixel")
	flag.Parse()
	img := render(*size, *size, *max)
	inside := 0
	for _, row := range img {
		for _, v := range row {
			if v == *max {
				inside++
			}
		}
	}
	fmt.Printf("%d of %d pixels inside\n", inside, *size**size)
}
