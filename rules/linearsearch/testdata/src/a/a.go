package a

import (
	"bufio"
	"slices"
)

type user struct {
	ID   int
	Name string
}

func contains(users []user, banned []int) []user {
	var ok []user
	for _, u := range users {
		if slices.Contains(banned, u.ID) { // want `linear search of banned \(slices.Contains\) on every iteration of a loop; build a map\[int\]struct\{\} from it once before the loop`
			continue
		}
		ok = append(ok, u)
	}
	return ok
}

func index(names map[string]int, order []string) int {
	n := 0
	for name := range names {
		n += slices.Index(order, name) // want `linear search of order \(slices.Index\).*map\[string\]int from`
	}
	return n
}

func innerLoop(a, b []string) int {
	common := 0
	for _, x := range a {
		for _, y := range b { // want `linear search of b \(an inner loop\) on every iteration of a loop; build a map\[string\]struct\{\}`
			if y == x {
				common++
				break
			}
		}
	}
	return common
}

func innerField(ids []int, users []user) []string {
	var names []string
outer:
	for _, id := range ids {
		for _, u := range users { // want `linear search of users \(an inner loop\).*map\[int\]user from it`
			if id == u.ID {
				names = append(names, u.Name)
				continue outer
			}
		}
	}
	return names
}

func innerReturn(a []string, b []string) bool {
	for i := 0; i < len(a); i++ {
		for _, y := range b { // want `linear search of b`
			if y == a[i] {
				return true
			}
		}
	}
	return false
}

type registry struct{ known []string }

func (r *registry) scan(sc *bufio.Scanner) int {
	n := 0
	for sc.Scan() {
		if slices.Contains(r.known, sc.Text()) { // want `linear search of r.known`
			n++
		}
	}
	return n
}

func overChannel(ch chan string, seen []string) int {
	n := 0
	for s := range ch {
		if slices.Contains(seen, s) { // want `linear search of seen`
			n++
		}
	}
	return n
}

var bigSet = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}

func bigLiteral(words []string) int {
	n := 0
	for _, w := range words {
		if slices.Contains(bigSet, w) { // want `linear search of bigSet`
			n++
		}
	}
	return n
}
