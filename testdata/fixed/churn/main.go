// Command churn is testdata/churn with the fix advisor recommends first:
// encode allocates fields with its final capacity (prealloc), so append
// never reallocates. Everything else is unchanged.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
)

// keys are the fields of every record, in output order.
var keys = []string{"time", "host", "level", "user", "path", "status", "bytes", "latency", "region", "trace"}

// parse splits a line of key=value pairs into a fresh map.
func parse(line string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Fields(line) {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

// encode renders a record in key order, quoting every value.
func encode(rec map[string]string) string {
	fields := make([]string, 0, len(keys))
	for _, k := range keys {
		fields = append(fields, k+"="+strconv.Quote(rec[k]))
	}
	return strings.Join(fields, " ")
}

// line generates the i-th input line.
func line(i int) string {
	var b strings.Builder
	for j, k := range keys {
		if j > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Itoa(i*31 + j*7))
	}
	return b.String()
}

func main() {
	n := flag.Int("n", 120000, "lines")
	keep := flag.Int("keep", 30000, "most recent records kept live")
	stats := flag.Bool("cpustats", false, "print the runtime's CPU accounting (GC vs total) to stderr")
	flag.Parse()
	if *stats {
		defer printCPUStats()
	}
	ring := make([]map[string]string, *keep)
	total := 0
	for i := 0; i < *n; i++ {
		rec := parse(line(i))
		ring[i%*keep] = rec
		total += len(encode(rec))
	}
	fmt.Printf("%d lines, %d bytes out\n", *n, total)
}

// printCPUStats prints how much of the process's CPU time the runtime
// counted as garbage collection: the measured truth behind the gc share.
func printCPUStats() {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/user:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/cpu/classes/idle:cpu-seconds"}}
	metrics.Read(s)
	gc, user, total, idle := s[0].Value.Float64(), s[1].Value.Float64(), s[2].Value.Float64(), s[3].Value.Float64()
	fmt.Fprintf(os.Stderr, "cpu: gc %.2fs, user %.2fs, busy %.2fs (gc %.0f%% of busy)\n", gc, user, total-idle, 100*gc/(total-idle))
}
