#!/usr/bin/env bash
# Measures how often `advisor ci` flags a change: A/A (the false-alarm rate)
# and 5%, 10% and 30% more work in one benchmark (power), K runs each
# (default 20). Usage: docs/measure/ci-power.sh [K] [extra advisor ci flags...]
# Prints one line per scenario: exit codes 0/1/2 counted over K runs (exit 1
# is a confirmed regression), and the load average when it finished.
# KEEP=DIR keeps each run's advisor-ci/v1 report as DIR/<scenario>-<i>.json;
# ONLY="30%" runs only the scenarios named (space-separated).
set -euo pipefail
K=${1:-20}; shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/advisor" "$root/cmd/advisor"

repo=$tmp/repo; mkdir -p "$repo"; cd "$repo"
git init -q
export GIT_CONFIG_GLOBAL=/dev/null
gen() { # gen PASSES
  cat > work.go <<GO
package work

// Process mixes a 64-element slice $1 times.
func Process(xs []int) int {
	out := make([]int, 0, len(xs))
	for _, x := range xs {
		out = append(out, x*3)
	}
	s := 0
	for r := range $1 {
		for _, v := range out {
			s += v ^ r
		}
	}
	return s
}
GO
}
printf 'module example.com/work\n\ngo 1.26.0\n' > go.mod
cat > work_test.go <<'GO'
package work

import "testing"

var xs = make([]int, 64)

var sink int

func BenchmarkProcess(b *testing.B) {
	for b.Loop() {
		sink = Process(xs)
	}
}
GO
gen 100; git add .; git -c user.name=m -c user.email=m@m commit -qm base
base=$(git rev-parse HEAD)

run() { # run NAME PASSES [advisor ci flags...]
  local name=$1 passes=$2; shift 2
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then return; fi
  gen "$passes"; git -c user.name=m -c user.email=m@m commit -qam "$name" --allow-empty
  local c0=0 c1=0 c2=0
  for i in $(seq "$K"); do
    set +e; "$tmp/advisor" ci --base "$base" --no-lint --format json -o "$tmp/out.json" "$@" ./... 2>/dev/null; code=$?; set -e
    if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; cp "$tmp/out.json" "$KEEP/${name//[\/%]/_}-$i.json"; fi
    eval "c$code=\$((c$code+1))"
  done
  echo "$name: exit0=$c0 exit1=$c1 exit2=$c2 (of $K) load=$(cut -d' ' -f1 /proc/loadavg)"
}
run "A/A" 100 "$@"
run "5%" 105 "$@"
run "10%" 110 "$@"
run "30%" 130 "$@"
