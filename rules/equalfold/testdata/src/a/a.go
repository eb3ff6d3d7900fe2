package a

import (
	"bytes"
	"strings"
)

func lower(a, b string) bool {
	return strings.ToLower(a) == strings.ToLower(b) // want `both sides are converted by strings.ToLower only to be compared; strings.EqualFold compares without allocating`
}

func upperNot(a, b string) bool {
	return strings.ToUpper(a) != strings.ToUpper(b) // want `strings.ToUpper only to be compared`
}

func byteSlices(a, b []byte) bool {
	return bytes.Equal(bytes.ToLower(a), bytes.ToLower(b)) // want `bytes.ToLower only to be compared; bytes.EqualFold`
}

func oneSide(a string) bool {
	return strings.ToLower(a) == "yes"
}

func mixed(a, b string) bool {
	return strings.ToLower(a) == strings.ToUpper(b)
}

func kept(a, b string) (string, bool) {
	la := strings.ToLower(a)
	return la, la == strings.ToLower(b)
}

type caser struct{}

func (caser) ToLower(s string) string { return s }

func method(c caser, a, b string) bool {
	return c.ToLower(a) == c.ToLower(b)
}
