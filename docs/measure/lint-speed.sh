#!/usr/bin/env bash
# lint-speed.sh: wall time of advisor lint against go vet on the same tree
# (golang.org/x/tools by default; TREE=std for the standard library), from
# one run each, with the compiled dependencies already in the build cache
# and no cached vet results (each tool gets its own copy of a warmed cache).
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

# Warm a private build cache with the export data both tools need, then
# give each tool its own copy, so neither sees the other's results and
# go vet cannot replay cached vet runs.
warm=$OUT/cache-warm
rm -rf "$warm"
(cd "$dir" && GOCACHE=$warm go list -export -deps -test "$pattern" >/dev/null)
for t in vet vettool lint; do
	rm -rf "$OUT/cache-$t"
	cp -r "$warm" "$OUT/cache-$t"
done

secs() { # command... -> wall seconds
	local s e
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}

cd "$dir"
vet=$(GOCACHE=$OUT/cache-vet secs go vet "$pattern")
vettool=$(GOCACHE=$OUT/cache-vettool secs go vet -vettool="$OUT/advisor-vet" "$pattern")
lint=$(GOCACHE=$OUT/cache-lint secs "$OUT/advisor" lint --fail-on none "$pattern")
printf 'tree %s (%s), one run each, warm compile cache\n' "$TREE" "$(go version | awk '{print $3}')"
printf '%-44s %8.1fs\n' "go vet (default analyzers)" "$vet" \
	"go vet -vettool=advisor-vet (advisor's rules)" "$vettool" \
	"advisor lint" "$lint"
printf 'ratio advisor lint / go vet:              %.2f\n' "$(echo "$lint / $vet" | bc -l)"
printf 'ratio advisor lint / go vet -vettool:     %.2f\n' "$(echo "$lint / $vettool" | bc -l)"
rm -rf "$OUT"/cache-*
