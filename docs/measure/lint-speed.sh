#!/usr/bin/env bash
# lint-speed.sh: wall time of advisor lint against go vet on the same tree
# (golang.org/x/tools by default; TREE=std for the standard library), from
# one run each, in a private build cache that holds the compiled export data
# both tools need and no vet results. The three runs do not share results:
# go vet caches per vet tool, and advisor lint caches nothing.
#
#   docs/measure/lint-speed.sh
#   TREE=std docs/measure/lint-speed.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$(mktemp -d)}
TREE=${TREE:-x-tools}
mkdir -p "$OUT"
(cd "$repo" && go build -o "$OUT/advisor" ./cmd/advisor && go build -o "$OUT/advisor-vet" ./cmd/advisor-vet)

if [ "$TREE" = std ]; then
	dir=$repo
	pattern=std
else
	tools_src=$(cd "$repo" && go list -m -f '{{.Dir}}' golang.org/x/tools)
	dir=$OUT/x-tools
	rm -rf "$dir"
	cp -r "$tools_src" "$dir"
	chmod -R u+w "$dir"
	pattern=./...
	export GOFLAGS=-mod=mod
fi

export GOCACHE=$OUT/cache
rm -rf "$GOCACHE"
(cd "$dir" && go list -export -deps -test "$pattern" >/dev/null)

n=0
measure() { # command... -> "wall cpu" seconds (cpu = user + system, children included)
	n=$((n + 1))
	/usr/bin/time -f '%e %U %S' -o "$OUT/time" "$@" >"$OUT/run$n.out" 2>&1 || true
	# time prefixes "Command exited with non-zero status N" when the tool
	# reports findings; the numbers are on the last line.
	tail -n 1 "$OUT/time" | awk '{printf "%.1f %.1f\n", $1, $2 + $3}'
}

cd "$dir"
measure go vet "$pattern" >"$OUT/t1"
measure go vet -vettool="$OUT/advisor-vet" "$pattern" >"$OUT/t2"
measure "$OUT/advisor" lint --fail-on none "$pattern" >"$OUT/t3"
read -r vet_wall vet_cpu <"$OUT/t1"
read -r tool_wall tool_cpu <"$OUT/t2"
read -r lint_wall lint_cpu <"$OUT/t3"
printf 'tree %s (%s), one run each, warm compile cache, load average %s\n' "$TREE" "$(go version | awk '{print $3}')" "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-46s %8s %8s\n' "" "wall s" "cpu s"
printf '%-46s %8s %8s\n' "go vet (default analyzers)" "$vet_wall" "$vet_cpu" \
	"go vet -vettool=advisor-vet (advisor's rules)" "$tool_wall" "$tool_cpu" \
	"advisor lint" "$lint_wall" "$lint_cpu"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'advisor lint / go vet:           wall %s  cpu %s\n' "$(ratio "$lint_wall" "$vet_wall")" "$(ratio "$lint_cpu" "$vet_cpu")"
printf 'advisor lint / go vet -vettool:  wall %s  cpu %s\n' "$(ratio "$lint_wall" "$tool_wall")" "$(ratio "$lint_cpu" "$tool_cpu")"
printf 'output lines: go vet %s, go vet -vettool %s, advisor lint %s (in %s/run[123].out)\n' \
	"$(wc -l <"$OUT/run1.out")" "$(wc -l <"$OUT/run2.out")" "$(wc -l <"$OUT/run3.out")" "$OUT"
rm -rf "$GOCACHE"
