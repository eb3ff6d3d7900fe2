#!/usr/bin/env bash
# Builds a custom golangci-lint with advisor's module plugin (rules/golangci)
# from the Go module proxy only: no git clone, unlike `golangci-lint custom`,
# which clones github.com/golangci/golangci-lint and so fails where only the
# proxy is reachable.
#
# It does by hand what `golangci-lint custom` does (pkg/commands/internal in
# the golangci-lint module: builder.go, imports.go): a plugins file importing
# the plugin into the golangci-lint main package, a replace of the plugin
# module by a local directory, go mod tidy, go build with the same ldflags.
# The one difference: instead of a clone of the golangci-lint repository, a
# temporary module requires github.com/golangci/golangci-lint/v2 at
# $GOLANGCI_LINT_VERSION and holds a copy of its cmd/golangci-lint/main.go
# taken from the module cache.
#
# Usage: scripts/golangci-custom.sh [--test] [OUTPUT]
#   OUTPUT   the binary to write (default ./custom-gcl, as golangci-lint custom)
#   --test   then run the test comparing its findings with advisor lint's
#            (ADVISOR_GOLANGCI_LINT=OUTPUT go test -run TestCustomBinary ./rules/golangci)
# Environment: GOLANGCI_LINT_VERSION (default v2.15.0); the go command's own
# (GOPROXY, GOFLAGS, ...) apply as usual.
set -euo pipefail

run_test=false
out=
for a in "$@"; do
	case $a in
	--test) run_test=true ;;
	-h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "golangci-custom.sh: unknown flag $a (see --help)" >&2; exit 2 ;;
	*)
		[[ -z $out ]] || { echo "golangci-custom.sh: more than one OUTPUT ($out, $a)" >&2; exit 2; }
		out=$a ;;
	esac
done
out=${out:-./custom-gcl}
[[ $out == /* ]] || out=$PWD/$out
version=${GOLANGCI_LINT_VERSION:-v2.15.0}
root=$(cd "$(dirname "$0")/.." && pwd)
gcl=github.com/golangci/golangci-lint/v2
plugin=github.com/advisor-dev/advisor
start=$SECONDS

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export GOWORK=off

echo "golangci-custom.sh: golangci-lint $version from the module proxy" >&2
# go mod download -json reports a failure in its JSON ("Error"), on stdout.
info=$(go mod download -json "$gcl@$version") || {
	echo "golangci-custom.sh: go mod download $gcl@$version: $(sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' <<<"$info" | head -1)" >&2
	exit 1
}
dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$info")
[[ -n $dir && -f $dir/cmd/golangci-lint/main.go ]] ||
	{ echo "golangci-custom.sh: go mod download $gcl@$version gave no cmd/golangci-lint/main.go" >&2; exit 1; }

go mod init advisor.local/custom-gcl 2>"$tmp/init.log" || { cat "$tmp/init.log" >&2; exit 1; }
# The same go directive as golangci-lint's, so that the language version
# main.go was written for applies.
go mod edit -go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$dir/go.mod")" \
	-require="$gcl@$version" \
	-require="$plugin@v0.0.0-00010101000000-000000000000" -replace="$plugin=$root"
cp "$dir/cmd/golangci-lint/main.go" main.go
chmod u+w main.go
# imports.go's template, with the one plugin.
cat > plugins.go <<'GO'
package main

import (
	_ "github.com/advisor-dev/advisor/rules/golangci"
)
GO
go mod tidy

# golangci-lint salts its analysis cache with the version, so the version
# names the plugin's sources (builder.go hashes the plugin directory): a
# rebuild after a rule changed does not reuse the old rule's results. Tests
# and testdata are not compiled in, so they do not count.
sha=sha256sum
command -v sha256sum >/dev/null || sha="shasum -a 256" # macOS
hash=$(cd "$root" && find . \( -name .git -o -name testdata \) -prune -o -type f \( -name '*.go' ! -name '*_test.go' -o -name go.mod -o -name go.sum \) -print |
	LC_ALL=C sort | xargs $sha | $sha | cut -c1-12)
go build -ldflags "-s -w -X 'main.version=${version#v}-custom-gcl-advisor-$hash' -X 'main.date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')'" -o "$out" .
echo "golangci-custom.sh: built $out ($("$out" version 2>&1 | head -1)) in $((SECONDS - start))s" >&2

if $run_test; then
	cd "$root"
	ADVISOR_GOLANGCI_LINT=$out go test -count=1 -v -run TestCustomBinary ./rules/golangci
fi
