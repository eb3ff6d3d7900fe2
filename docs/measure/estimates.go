//go:build ignore

// estimates.go checks advisor's estimates against reality: for each demo
// with a hand-fixed variant in testdata/fixed/, it profiles the demo with
// advisor, reads the estimated whole-program speedup of each recommendation,
// then times the original and the fixed program alternately and reports the
// measured speedup (ratio of median wall times) next to the estimate.
//
//	go run docs/measure/estimates.go [-runs 7]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
)

func main() {
	runs := flag.Int("runs", 7, "timed runs of each program")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "advisor-estimates")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	advisor := filepath.Join(tmp, "advisor")
	build(advisor, "./cmd/advisor")

	fmt.Println("| demo | recommendations (estimated whole-program speedup) | fix applied in testdata/fixed | measured speedup |")
	fmt.Println("|---|---|---|---|")
	for _, demo := range []struct{ name, fix string }{
		{"fib", "memoized fib (cache)"},
		{"fetch", "errgroup, SetLimit(8) (goroutines)"},
		{"mandelbrot", "worker pool over rows (workers)"},
		{"mixed", "errgroup downloads + memoized score (goroutines + cache)"},
	} {
		out, err := exec.Command(advisor, "--json", "./testdata/"+demo.name).Output()
		if err != nil {
			log.Fatalf("advisor %s: %v", demo.name, err)
		}
		var rep report.Report
		if err := json.Unmarshal(out, &rep); err != nil {
			log.Fatal(err)
		}
		var recs []string
		for _, r := range rep.Recommendations {
			est := "?"
			if r.EstimatedSpeedup != nil {
				est = fmt.Sprintf("%.2f×", *r.EstimatedSpeedup)
			}
			recs = append(recs, fmt.Sprintf("%s %s", r.Kind, est))
		}
		orig, fixed := filepath.Join(tmp, demo.name), filepath.Join(tmp, demo.name+"-fixed")
		build(orig, "./testdata/"+demo.name)
		build(fixed, "./testdata/fixed/"+demo.name)
		var a, b []float64
		for i := 0; i < *runs; i++ {
			a = append(a, timeRun(orig))
			b = append(b, timeRun(fixed))
		}
		fmt.Printf("| %s | %s | %s | %.2f× |\n", demo.name, strings.Join(recs, ", "), demo.fix, median(a)/median(b))
	}
}

func build(out, pkg string) {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("build %s: %v", pkg, err)
	}
}

func timeRun(bin string) float64 {
	cmd := exec.Command(bin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("%s: %v\n%s", bin, err, stderr.String())
	}
	return time.Since(start).Seconds()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
