// Package shapes holds real-code shapes of the rules' fixes (go-git, afero,
// cobra-style code) for the test that every offered fix type-checks.
package shapes

import (
	"errors"
	"regexp"
	"strings"
)

var errNotFound = errors.New("not found")

type Hash [20]byte

type Object struct{ size int64 }

type Storage struct {
	objects map[Hash]*Object
	refs    map[string]string
}

// EncodedObject is go-git's two-read form: a presence check that returns,
// then the read of the value.
func (s *Storage) EncodedObject(h Hash) (*Object, error) {
	if _, ok := s.objects[h]; !ok {
		return nil, errNotFound
	}
	return s.objects[h], nil
}

// Size reads the entry twice after the check.
func (s *Storage) Size(h Hash) int64 {
	if _, ok := s.objects[h]; !ok {
		return 0
	}
	obj := s.objects[h]
	if s.objects[h] == nil {
		return -1
	}
	return obj.size
}

// Ref uses ok again later, so the lookup cannot move out of the if.
func (s *Storage) Ref(name string) (string, error) {
	if _, ok := s.refs[name]; !ok {
		return "", errNotFound
	}
	target, ok := s.refs["HEAD"]
	if !ok {
		return "", errNotFound
	}
	return s.refs[name] + target, nil
}

// Inside reads the entry inside the if only.
func (s *Storage) Inside(name string) string {
	if _, ok := s.refs[name]; ok {
		return strings.ToUpper(s.refs[name])
	}
	return ""
}

// Count compiles a constant pattern in a loop.
func Count(lines []string) int {
	n := 0
	for _, l := range lines {
		re := regexp.MustCompile(`^\s*#`)
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

// Names grows an empty literal in a counted loop.
func Names(objs []Object) []int64 {
	sizes := []int64{}
	for _, o := range objs {
		sizes = append(sizes, o.size)
	}
	return sizes
}

// paths is memoizable recursion on basic types.
func paths(r, c int) int {
	if r == 0 || c == 0 {
		return 1
	}
	return paths(r-1, c) + paths(r, c-1)
}

// Paths calls paths.
func Paths() int { return paths(10, 10) }
