//go:build ignore

// estimates.go checks advisor's estimates against reality: for each demo
// with a hand-fixed variant in testdata/fixed/, one variant per lever, it
// profiles the demo with advisor, reads the estimated whole-program speedup
// of the recommendation of that lever, then times the original and the
// fixed program alternately and reports the measured speedup (ratio of
// median wall times) next to the estimate. The bar: within 2× of
// the measured gain; an estimate marked as a lower bound (">20×") holds
// when the measured gain is above it.
//
//	go run docs/measure/estimates.go [-runs 7] [-demo mandelbrot]
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
	"time"

	"github.com/advisor-dev/advisor/analyze/report"
)

// fix is a hand-written fix of one lever of a demo.
type fix struct {
	demo, lever, dir, what string
}

var fixes = []fix{
	{"fib", report.KindCache, "fib", "memoized fib"},
	{"spinner", report.KindCache, "spinner", "memoized fib, spinner kept"},
	{"fetch", report.KindGoroutines, "fetch", "errgroup, SetLimit(8)"},
	{"mandelbrot", report.KindWorkers, "mandelbrot", "worker pool over rows"},
	{"mixed", report.KindGoroutines, "mixed-goroutines", "errgroup downloads, score kept naive"},
	{"mixed", report.KindCache, "mixed-cache", "memoized score, downloads kept sequential"},
	{"churn", report.KindPrealloc, "churn", "fields allocated at final capacity"},
}

func main() {
	runs := flag.Int("runs", 7, "timed runs of each program")
	only := flag.String("demo", "", "measure only this demo")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "advisor-estimates")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	advisor := filepath.Join(tmp, "advisor")
	build(advisor, "./cmd/advisor")

	reports := map[string]*report.Report{}
	fmt.Println("| demo | lever | fix in testdata/fixed | estimate | measured | measured / estimate |")
	fmt.Println("|---|---|---|---:|---:|---:|")
	for _, f := range fixes {
		if *only != "" && f.demo != *only {
			continue
		}
		rep := reports[f.demo]
		if rep == nil {
			out, err := exec.Command(advisor, "--json", "./testdata/"+f.demo).Output()
			if err != nil {
				log.Fatalf("advisor %s: %v", f.demo, err)
			}
			rep = new(report.Report)
			if err := json.Unmarshal(out, rep); err != nil {
				log.Fatal(err)
			}
			reports[f.demo] = rep
		}
		est, bound := "none", ""
		var e float64
		for _, r := range rep.Recommendations {
			if r.Kind == f.lever && r.EstimatedSpeedup != nil {
				e = *r.EstimatedSpeedup
				est = fmt.Sprintf("%.2f×", e)
				if r.EstimateLowerBound {
					est, bound = fmt.Sprintf(">%.3g×", e), " (lower bound holds)"
				}
				break
			}
		}
		orig, fixed := filepath.Join(tmp, f.demo), filepath.Join(tmp, f.dir+"-fixed")
		build(orig, "./testdata/"+f.demo)
		build(fixed, "./testdata/fixed/"+f.dir)
		var a, b []float64
		for i := 0; i < *runs; i++ {
			a = append(a, timeRun(orig))
			b = append(b, timeRun(fixed))
		}
		measured := median(a) / median(b)
		ratio := "—"
		if e > 0 {
			ratio = fmt.Sprintf("%.2f", measured/e)
			if bound != "" && measured < e {
				bound = " (lower bound fails)"
			}
			ratio += bound
		}
		fmt.Printf("| %s | %s | %s | %s | %.2f× | %s |\n", f.demo, f.lever, f.what, est, measured, ratio)
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
