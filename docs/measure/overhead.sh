#!/bin/sh
# overhead.sh measures what profiling costs the target: the wall-clock ratio
# of a run under advisor's hook (CPU profile + bounded execution trace) to a
# plain run, for a CPU-bound program and for a channel ping-pong, and the
# size of the trace. Usage: docs/measure/overhead.sh [runs]   (default 7)
set -eu
cd "$(dirname "$0")/../.."
runs=${1:-7}
go test ./profile -run '^$' -bench '^BenchmarkOverhead$' -benchtime "${runs}x" -count 1
