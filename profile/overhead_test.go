package profile

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkOverhead measures the wall-clock cost of running a program under
// the hook against running it plainly, for a CPU-bound program and for a
// channel ping-pong (the tracer's worst case), with the default trace
// limit. Each iteration runs the plain and the profiled binary once, in
// alternating order; wall-x is the ratio of median wall times, cpu-x of
// median user+system CPU times, and trace-MB the largest trace. docs/measure/overhead.sh runs it.
func BenchmarkOverhead(b *testing.B) {
	for _, tc := range []struct {
		name, pkg string
		args      []string
	}{
		{"cpu", "./testdata/cpubound", []string{"-n", "40"}},
		{"pingpong", "./testdata/pingpong", []string{"-n", "1000000"}},
		{"pingpong-long", "./testdata/pingpong", []string{"-n", "4000000"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			tg, err := Build(ctx, Options{Dir: ".", Package: tc.pkg})
			if err != nil {
				b.Fatal(err)
			}
			defer tg.Close()
			plain := filepath.Join(b.TempDir(), "plain")
			if out, err := exec.Command("go", "build", "-o", plain, tc.pkg).CombinedOutput(); err != nil {
				b.Fatalf("go build: %v\n%s", err, out)
			}
			out := b.TempDir()
			var plainWalls, hookWalls, plainCPU, hookCPU []time.Duration
			var traceBytes int64
			runPlain := func() {
				start := time.Now()
				cmd := exec.Command(plain, tc.args...)
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				plainWalls = append(plainWalls, time.Since(start))
				plainCPU = append(plainCPU, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
			}
			runHook := func() {
				start := time.Now()
				res, err := tg.Run(ctx, Options{OutDir: out, Args: tc.args})
				if err != nil {
					b.Fatal(err)
				}
				hookWalls = append(hookWalls, time.Since(start))
				hookCPU = append(hookCPU, res.CPUTime)
				if res.ExitCode == nil || *res.ExitCode != 0 {
					b.Fatalf("profiled run failed: %+v", res)
				}
				if fi, err := os.Stat(res.Trace); err == nil {
					traceBytes = max(traceBytes, fi.Size())
				}
			}
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					runPlain()
					runHook()
				} else {
					runHook()
					runPlain()
				}
			}
			b.ReportMetric(float64(median(hookWalls))/float64(median(plainWalls)), "wall-x")
			// CPU time is far less disturbed by other load on a shared machine.
			b.ReportMetric(float64(median(hookCPU))/float64(median(plainCPU)), "cpu-x")
			b.ReportMetric(median(plainWalls).Seconds(), "plain-s")
			b.ReportMetric(float64(traceBytes)/(1<<20), "trace-MB")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
