#!/usr/bin/env bash
# lint-precision.sh: run advisor lint over the Go standard library and over
# golang.org/x/tools (copied from the module cache), and count findings per
# rule. The findings files it leaves in $OUT are what precision reviews
# sample from (read each sampled finding's code and judge it real or not).
#
#   docs/measure/lint-precision.sh            # from the repository root
#   OUT=/tmp/prec docs/measure/lint-precision.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
bin=$OUT/advisor
(cd "$repo" && go build -o "$bin" ./cmd/advisor)

tools_version=$(cd "$repo" && go list -m -f '{{.Version}}' golang.org/x/tools)
tools_src=$(cd "$repo" && go list -m -f '{{.Dir}}' golang.org/x/tools)
if [ -z "$tools_src" ] || [ ! -d "$tools_src" ]; then
	(cd "$repo" && go mod download golang.org/x/tools)
	tools_src=$(cd "$repo" && go list -m -f '{{.Dir}}' golang.org/x/tools)
fi
# The module cache is read-only: lint a writable copy.
tools=$OUT/x-tools
rm -rf "$tools"
cp -r "$tools_src" "$tools"
chmod -R u+w "$tools"

count() { # file -> "rule count" lines
	sed -n 's/.*(\([a-z]*\))$/\1/p' "$1" | sort | uniq -c | awk '{printf "%-18s %d\n", $2, $1}'
}

echo "== std ($(go version | awk '{print $3}'))"
(cd "$repo" && "$bin" lint --fail-on none std) >"$OUT/std.txt" 2>"$OUT/std.err" || true
count "$OUT/std.txt"
echo "total $(wc -l <"$OUT/std.txt") findings; $(wc -l <"$OUT/std.err") package errors (see $OUT/std.err)"

echo "== golang.org/x/tools $tools_version"
(cd "$tools" && GOFLAGS=-mod=mod "$bin" lint --fail-on none ./...) >"$OUT/x-tools.txt" 2>"$OUT/x-tools.err" || true
count "$OUT/x-tools.txt"
echo "total $(wc -l <"$OUT/x-tools.txt") findings; $(wc -l <"$OUT/x-tools.err") package errors (see $OUT/x-tools.err)"
echo "findings in $OUT/std.txt and $OUT/x-tools.txt"
