// Package ruledoc extracts an analyzer's documentation from its package's
// doc.go, so that godoc, `advisor lint --explain` and `go vet help` show the
// same words (the x/tools convention).
package ruledoc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the documentation of the analyzer name from the source of a
// doc.go file: the text after the heading "# Analyzer name" up to the next
// heading or the end of the package comment. It panics if the heading is
// missing, because that is a programming error found by any test of the rule.
func Extract(docGo, name string) string {
	doc, err := extract(docGo, name)
	if err != nil {
		panic(err)
	}
	return doc
}

func extract(docGo, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", docGo, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", fmt.Errorf("parse doc.go: %w", err)
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	text := (&ast.CommentGroup{List: f.Doc.List}).Text()
	heading := "# Analyzer " + name
	_, after, ok := strings.Cut(text, heading+"\n")
	if !ok {
		return "", fmt.Errorf("doc.go has no %q heading", heading)
	}
	// Stop at the next heading.
	lines := strings.Split(after, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "# ") {
			lines = lines[:i]
			break
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n")), nil
}
