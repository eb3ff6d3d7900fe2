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

measure() { # command... -> "wall cpu" seconds (cpu = user + system, children included)
	/usr/bin/time -f '%e %U %S' -o "$OUT/time" "$@" >/dev/null 2>&1 || true
	awk '{printf "%.1f %.1f\n", $1, $2 + $3}' "$OUT/time"
}

cd "$dir"
read -r vet_wall vet_cpu < <(measure go vet "$pattern")
read -r tool_wall tool_cpu < <(measure go vet -vettool="$OUT/advisor-vet" "$pattern")
read -r lint_wall lint_cpu < <(measure "$OUT/advisor" lint --fail-on none "$pattern")
printf 'tree %s (%s), one run each, warm compile cache, load average %s\n' "$TREE" "$(go version | awk '{print $3}')" "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-46s %8s %8s\n' "" "wall s" "cpu s"
printf '%-46s %8s %8s\n' "go vet (default analyzers)" "$vet_wall" "$vet_cpu" \
	"go vet -vettool=advisor-vet (advisor's rules)" "$tool_wall" "$tool_cpu" \
	"advisor lint" "$lint_wall" "$lint_cpu"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'advisor lint / go vet:           wall %s  cpu %s\n' "$(ratio "$lint_wall" "$vet_wall")" "$(ratio "$lint_cpu" "$vet_cpu")"
printf 'advisor lint / go vet -vettool:  wall %s  cpu %s\n' "$(ratio "$lint_wall" "$tool_wall")" "$(ratio "$lint_cpu" "$tool_cpu")"
rm -rf "$GOCACHE"
