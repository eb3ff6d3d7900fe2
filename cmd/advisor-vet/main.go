// Command advisor-vet runs advisor's static rules as a go vet tool, for
// editors and existing vet integrations:
//
//	go build -o ~/bin/advisor-vet github.com/advisor-dev/advisor/cmd/advisor-vet
//	go vet -vettool=$(which advisor-vet) ./...
//
// It reports the same findings as `advisor lint` and honors the same
// //advisor:ignore rule reason directives; a rule can be turned off with
// -rulename=false, e.g. go vet -vettool=$(which advisor-vet) -prealloc=false ./...
// It prints no hot shares or function names: for those use advisor lint
// or profile with advisor.
package main

import (
	"github.com/advisor-dev/advisor/rules/all"
	"github.com/advisor-dev/advisor/rules/lint"
	"golang.org/x/tools/go/analysis/unitchecker"
)

func main() {
	unitchecker.Main(lint.Analyzers(all.Rules())...)
}
