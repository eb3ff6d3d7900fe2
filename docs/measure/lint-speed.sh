#!/usr/bin/env bash
# lint-speed.sh: wall time, CPU time and peak memory of advisor lint
# against go vet on the same tree (golang.org/x/tools by default; TREE=std
# for the standard library), cold and warm, in a private build cache that
# holds the compiled export data both tools need and no vet results, and a
# private advisor result cache.
#
#   cold: no results of an earlier run (go vet's per-package vet actions
#         and advisor's per-package entries are computed)
#   warm: the same command again on the unchanged tree (median of RUNS)
#
# Memory: "max RSS" is /usr/bin/time's %M, the largest resident set of any
# one process of the tree (the kernel keeps the maximum over children, not
# a sum); "tree peak" is the largest sum of the resident sets of the
# command and all its descendants, sampled every 0.1 s (for go vet, the go
# command plus the vet tool processes running at once).
#
# WARM_ONLY=1 measures the warm runs only, in the caller's build cache
# (after one unmeasured run of each command to fill the caches): a quicker
# check of the warm ratio, without the private cache's full rebuild.
#
#   docs/measure/lint-speed.sh
#   TREE=std docs/measure/lint-speed.sh
#   TREE=std WARM_ONLY=1 docs/measure/lint-speed.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$(mktemp -d)}
TREE=${TREE:-x-tools}
RUNS=${RUNS:-3}
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

export ADVISOR_CACHE=$OUT/advisor-cache
rm -rf "$ADVISOR_CACHE"
if [ -z "${WARM_ONLY:-}" ]; then
	export GOCACHE=$OUT/cache
	rm -rf "$GOCACHE"
fi
(cd "$dir" && go list -export -deps -test "$pattern" >/dev/null)

# treepeak PID: the largest sum of RSS (KB) over PID and its descendants,
# sampled until PID exits.
treepeak() {
	local root=$1 peak=0 sum
	while kill -0 "$root" 2>/dev/null; do
		sum=$(ps -e -o pid=,ppid=,rss= | awk -v root="$root" '
			{ parent[$1] = $2; rss[$1] = $3 }
			END {
				for (p in rss) {
					q = p
					while (q != "" && q != root && q != 1 && q != 0) q = parent[q]
					if (q == root) s += rss[p]
				}
				print s + 0
			}')
		[ "$sum" -gt "$peak" ] && peak=$sum
		sleep 0.1
	done
	echo "$peak"
}

measure() { # name command... -> "wall cpu maxrss_mb treepeak_mb" (cpu = user + system, children included)
	local name=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>&1 &
	local pid=$!
	local peak
	peak=$(treepeak "$pid")
	wait "$pid" || true
	# time prefixes "Command exited with non-zero status N" when the tool
	# reports findings; the numbers are on the last line.
	tail -n 1 "$OUT/$name.time" | awk -v peak="$peak" '{printf "%.1f %.1f %.0f %.0f\n", $1, $2 + $3, $4 / 1024, peak / 1024}'
}

warm() { # name command... -> the median of RUNS warm runs, by wall time
	local name=$1 i
	shift
	for i in $(seq "$RUNS"); do measure "$name-$i" "$@"; done | sort -n | awk -v m=$(((RUNS + 1) / 2)) 'NR == m'
}

cd "$dir"
if [ -n "${WARM_ONLY:-}" ]; then
	go vet "$pattern" >/dev/null 2>&1 || true
	"$OUT/advisor" lint --all --fail-on none "$pattern" >"$OUT/lint-cold.out" 2>&1 || true
	vet_warm=$(warm vet-warm go vet "$pattern")
	lint_warm=$(warm lint-warm "$OUT/advisor" lint --all --fail-on none "$pattern")
	for i in $(seq "$RUNS"); do
		if ! cmp -s "$OUT/lint-cold.out" "$OUT/lint-warm-$i.out"; then
			echo "warm advisor lint output differs from the first run's: diff $OUT/lint-cold.out $OUT/lint-warm-$i.out" >&2
			exit 1
		fi
	done
	printf 'tree %s (%s), %s cores, load average %s; warm only, median of %s runs, in %s\n' "$TREE" "$(go version | awk '{print $3}')" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" "$RUNS" "$(go env GOCACHE)"
	printf '%-40s %8s %8s %11s %12s\n' "" "wall s" "cpu s" "max RSS MB" "tree peak MB"
	for r in "go vet, warm|$vet_warm" "advisor lint, warm|$lint_warm"; do
		read -r w c m p <<<"${r#*|}"
		printf '%-40s %8s %8s %11s %12s\n' "${r%%|*}" "$w" "$c" "$m" "$p"
	done
	read -r vww vwc _ _ <<<"$vet_warm"
	read -r lww lwc _ _ <<<"$lint_warm"
	awk -v a="$lww" -v b="$vww" -v c="$lwc" -v d="$vwc" 'BEGIN { printf "advisor lint / go vet, warm: wall %.2f  cpu %.2f\n", a / b, c / d }'
	rm -rf "$ADVISOR_CACHE"
	exit 0
fi
vet_cold=$(measure vet-cold go vet "$pattern")
vet_warm=$(warm vet-warm go vet "$pattern")
tool_cold=$(measure vettool-cold go vet -vettool="$OUT/advisor-vet" "$pattern")
lint_cold=$(measure lint-cold "$OUT/advisor" lint --all --fail-on none "$pattern")
lint_warm=$(warm lint-warm "$OUT/advisor" lint --all --fail-on none "$pattern")
for i in $(seq "$RUNS"); do
	if ! cmp -s "$OUT/lint-cold.out" "$OUT/lint-warm-$i.out"; then
		echo "warm advisor lint output differs from the cold run's: diff $OUT/lint-cold.out $OUT/lint-warm-$i.out" >&2
		exit 1
	fi
done

printf 'tree %s (%s), %s cores, load average %s; warm = median of %s runs\n' "$TREE" "$(go version | awk '{print $3}')" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" "$RUNS"
printf '%-40s %8s %8s %11s %12s\n' "" "wall s" "cpu s" "max RSS MB" "tree peak MB"
row() { read -r w c m p <<<"$2"; printf '%-40s %8s %8s %11s %12s\n' "$1" "$w" "$c" "$m" "$p"; }
row "go vet, cold" "$vet_cold"
row "go vet, warm" "$vet_warm"
row "go vet -vettool=advisor-vet, cold" "$tool_cold"
row "advisor lint, cold" "$lint_cold"
row "advisor lint, warm" "$lint_warm"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
read -r vcw vcc _ vcp <<<"$vet_cold"
read -r vww vwc _ vwp <<<"$vet_warm"
read -r lcw lcc _ lcp <<<"$lint_cold"
read -r lww lwc _ lwp <<<"$lint_warm"
printf 'advisor lint / go vet, cold: wall %s  cpu %s  tree peak %s\n' "$(ratio "$lcw" "$vcw")" "$(ratio "$lcc" "$vcc")" "$(ratio "$lcp" "$vcp")"
printf 'advisor lint / go vet, warm: wall %s  cpu %s  tree peak %s\n' "$(ratio "$lww" "$vww")" "$(ratio "$lwc" "$vwc")" "$(ratio "$lwp" "$vwp")"
printf 'advisor lint --all: %s lines, identical cold and warm (%s/lint-cold.out)\n' "$(wc -l <"$OUT/lint-cold.out")" "$OUT"
rm -rf "$GOCACHE" "$ADVISOR_CACHE"
