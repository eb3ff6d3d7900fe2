#!/usr/bin/env bash
# lint-count.sh: the size of advisor lint's default output (no profile)
# before and after a change, on the standard library and five real modules
# fetched through the module proxy (go mod download, copied out of the
# read-only module cache). BASE is the git revision to compare with
# (default: main); gojq was the fifth choice, but one of its dependencies is
# not served by the proxy, so expr stands in. The findings files are left in $OUT for review.
#
#   docs/measure/lint-count.sh
#   BASE=4d4f057 OUT=/tmp/count docs/measure/lint-count.sh
#   REUSE_OLD=1 OUT=/tmp/count docs/measure/lint-count.sh   # keep $OUT/*.old.txt
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$(mktemp -d)}
BASE=${BASE:-main}
mkdir -p "$OUT/base-src"
(cd "$repo" && go build -o "$OUT/new" ./cmd/advisor)
if [ ! -x "$OUT/old" ]; then
	git -C "$repo" archive "$BASE" | tar -x -C "$OUT/base-src"
	(cd "$OUT/base-src" && go build -o "$OUT/old" ./cmd/advisor)
fi

# MODULES replaces the five modules, e.g. the fresh sample of docs/rules.md:
# MODULES="go.uber.org/zap@v1.28.0 github.com/pelletier/go-toml/v2@v2.4.3 github.com/go-chi/chi/v5@v5.5.0 github.com/hashicorp/hcl/v2@v2.25.0 github.com/urfave/cli/v2@v2.27.7"
modules=${MODULES:-"github.com/spf13/cobra@v1.10.2 github.com/BurntSushi/toml@v1.6.0 github.com/yuin/goldmark@v1.8.7 github.com/expr-lang/expr@v1.17.8 go.etcd.io/bbolt@v1.5.0"}
printf '%-34s %8s %8s %7s\n' tree before after ratio
total_old=0 total_new=0
run() { # name dir pattern
	local name=$1 dir=$2 pat=$3 o n
	if [ -z "${REUSE_OLD:-}" ] || [ ! -s "$OUT/$name.old.txt" ]; then
		(cd "$dir" && GOFLAGS=-mod=mod "$OUT/old" lint --fail-on none "$pat") >"$OUT/$name.old.txt" 2>"$OUT/$name.old.err" || true
	fi
	(cd "$dir" && GOFLAGS=-mod=mod "$OUT/new" lint --fail-on none "$pat") >"$OUT/$name.new.txt" 2>"$OUT/$name.new.err" || true
	(cd "$dir" && GOFLAGS=-mod=mod "$OUT/new" lint --fail-on none --all "$pat") >"$OUT/$name.all.txt" 2>/dev/null || true
	o=$(wc -l <"$OUT/$name.old.txt") n=$(wc -l <"$OUT/$name.new.txt")
	total_old=$((total_old + o)) total_new=$((total_new + n))
	printf '%-34s %8d %8d %7s\n' "$name" "$o" "$n" "$(awk -v o="$o" -v n="$n" 'BEGIN { if (n) printf "%.1fx", o/n; else print "-" }')"
}
run std "$repo" std
for m in $modules; do
	dir=$(go mod download -json "$m" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	name=${m%@*}
	name=${name%/v[0-9]*} # github.com/hashicorp/hcl/v2 -> hcl
	name=${name##*/}
	if [ ! -d "$OUT/$name" ]; then
		cp -r "$dir" "$OUT/$name"
		chmod -R u+w "$OUT/$name"
	fi
	run "$name" "$OUT/$name" ./...
done
printf '%-34s %8d %8d %7s\n' total "$total_old" "$total_new" "$(awk -v o="$total_old" -v n="$total_new" 'BEGIN { printf "%.1fx", o/n }')"
echo "findings in $OUT/*.new.txt (shown), *.all.txt (--all), *.old.txt ($BASE)"
