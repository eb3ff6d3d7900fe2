package ruledoc

import (
	"strings"
	"testing"
)

const sample = `// Package demo defines an Analyzer.
//
// # Analyzer demo
//
// demo: check for demos
//
// Bad:
//
//	x := 1
//
// # Other
//
// not part of it
package demo
`

func TestExtract(t *testing.T) {
	got := Extract(sample, "demo")
	if !strings.HasPrefix(got, "demo: check for demos") || !strings.Contains(got, "x := 1") || strings.Contains(got, "not part") {
		t.Fatalf("Extract = %q", got)
	}
	if _, err := extract(sample, "missing"); err == nil {
		t.Fatal("missing heading: want error")
	}
}
