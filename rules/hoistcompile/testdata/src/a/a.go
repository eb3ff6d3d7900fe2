package a

import (
	"encoding/json"
	htmltemplate "html/template"
	"os"
	"regexp"
	"strings"
	"text/template"
	"time"
)

const pat = `^\d+$`

func positives(lines []string, p string, zone string) {
	for _, line := range lines {
		re := regexp.MustCompile(`^\d+$`) // want `regexp.MustCompile compiles a regular expression on every iteration with loop-invariant arguments \(hoist it out of the loop\)`
		_ = re.MatchString(line)
	}
	for _, line := range lines {
		re, err := regexp.Compile(p) // want `regexp.Compile compiles a regular expression`
		if err == nil {
			_ = re.MatchString(line)
		}
	}
	for _, line := range lines {
		if regexp.MustCompilePOSIX(pat + "x").MatchString(line) { // want `regexp.MustCompilePOSIX`
			continue
		}
	}
	for range lines {
		loc, _ := time.LoadLocation(zone) // want `time.LoadLocation loads a time zone from the zoneinfo database`
		_ = loc
	}
	for i, line := range lines {
		r := strings.NewReplacer("a", "b") // want `strings.NewReplacer builds a replacer`
		lines[i] = r.Replace(line)
	}
	for _, line := range lines {
		t := template.Must(template.New("x").Parse("{{.}}")) // want `template.Template.Parse parses a template`
		_ = t.Execute(os.Stdout, line)
	}
	for _, line := range lines {
		t, _ := htmltemplate.New("x").Funcs(nil).Parse("{{.}}") // want `template.Template.Parse parses a template`
		_ = t.Execute(os.Stdout, line)
	}
	for _, line := range lines {
		t := template.Must(template.ParseFiles("a.tmpl")) // want `template.ParseFiles reads and parses templates`
		_ = t.Execute(os.Stdout, line)
	}
	for _, line := range lines {
		_ = json.NewEncoder(os.Stdout).Encode(line) // want `json.NewEncoder allocates a JSON encoder`
	}
	for i := 0; i < len(lines); i++ {
		re := regexp.MustCompile(p) // want `regexp.MustCompile`
		_ = re.MatchString(lines[i])
	}
	n := 0
	for n < 100 {
		re := regexp.MustCompile(p) // want `regexp.MustCompile`
		n++
		_ = re
	}
}

func negatives(lines []string, patterns []string, p string, ts map[string]*template.Template) *regexp.Regexp {
	re0 := regexp.MustCompile(p) // not in a loop
	_ = re0
	for _, q := range patterns {
		re := regexp.MustCompile(q) // a different pattern each iteration
		_ = re
	}
	for _, line := range lines {
		re := regexp.MustCompile(regexp.QuoteMeta(line)) // depends on the range variable
		_ = re
	}
	for _, line := range lines {
		p = line // p changes in the loop
		_ = regexp.MustCompile(p)
	}
	for i := 0; i < 3; i++ { // too short to matter
		_ = regexp.MustCompile(`x+`)
	}
	for range [4]int{} {
		_ = regexp.MustCompile(`x+`)
	}
	for _, line := range lines {
		if line == "" {
			return regexp.MustCompile(p) // runs at most once
		}
	}
	for _, line := range lines {
		if strings.HasPrefix(line, "#") {
			re := regexp.MustCompile(p) // leaves the loop after it
			_ = re
			break
		}
	}
	var lazy *regexp.Regexp
	for _, line := range lines {
		if lazy == nil {
			lazy = regexp.MustCompile(p) // lazily initialized once
		}
		_ = lazy.MatchString(line)
	}
	cache := map[string]*regexp.Regexp{}
	for _, line := range lines {
		if _, ok := cache[p]; !ok {
			cache[p] = regexp.MustCompile(p) // memo table
		}
		_ = line
	}
	for _, line := range lines {
		go func() {
			_ = regexp.MustCompile(p).MatchString(line) // its own function
		}()
	}
	for _, line := range lines {
		t := ts[line]
		_, _ = t.Parse("{{.}}") // adds to an existing template
	}
	for _, line := range lines {
		_ = template.Must(template.New(line).Parse("{{.}}")) // name varies
	}
	for _, line := range lines {
		_ = json.NewEncoder(os.Stdout).Encode(line) // leaves the loop
		return nil
	}
	for range lines {
		r := strings.NewReplacer(patterns...) // patterns may be written through another slice
		patterns[0] = "x"
		_ = r
	}
	return nil
}

type custom struct{}

func (custom) MustCompile(string) *regexp.Regexp { return nil }

func notRegexp(lines []string) {
	var regexp custom
	for range lines {
		_ = regexp.MustCompile("x") // a user method of the same name
	}
}

func matchConst(lines []string) int {
	n := 0
	for _, l := range lines {
		if ok, _ := regexp.MatchString(`^\s*#`, l); ok { // want `regexp.MatchString compiles its constant pattern on every iteration \(compile it once before the loop with regexp.MustCompile and call its MatchString method\)`
			n++
		}
	}
	return n
}

func matchBytes(lines [][]byte) int {
	n := 0
	for _, l := range lines {
		if ok, _ := regexp.Match("a+b", l); ok { // want `regexp.Match compiles its constant pattern`
			n++
		}
	}
	return n
}

func matchVariablePattern(pats []string, s string) int {
	n := 0
	for _, p := range pats {
		if ok, _ := regexp.MatchString(p, s); ok { // the pattern changes: nothing to hoist
			n++
		}
	}
	return n
}

func matchOutsideLoop(s string) bool {
	ok, _ := regexp.MatchString(`^\d+$`, s) // once
	return ok
}

func matchSmallLoop(s [3]string) int {
	n := 0
	for _, l := range s {
		if ok, _ := regexp.MatchString(`x`, l); ok { // three iterations
			n++
		}
	}
	return n
}
