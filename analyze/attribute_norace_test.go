//go:build !race

package analyze

const attrRace = false
