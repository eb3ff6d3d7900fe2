package a

import "fmt"

func keys(ids []int) []string {
	var out []string
	for _, id := range ids {
		out = append(out, fmt.Sprintf("%d", id)) // want `fmt.Sprintf formats one value in a loop; strconv.Itoa does the same without fmt's parsing and boxing`
	}
	return out
}

func wide(ids []int64, flags []bool) (s []string) {
	for i, id := range ids {
		s = append(s, fmt.Sprintf("%v", id))        // want `strconv.FormatInt does the same`
		s = append(s, fmt.Sprintf("%t", flags[i]))  // want `strconv.FormatBool does the same`
		s = append(s, fmt.Sprintf("%v", uint8(id))) // want `strconv.FormatUint does the same`
	}
	return s
}

type code int

func (c code) String() string { return "code" }

type plain int

func silent(ids []int, cs []code, ps []plain) (s []string) {
	s = append(s, fmt.Sprintf("%d", len(ids))) // outside a loop
	for i, id := range ids {
		s = append(s, fmt.Sprintf("id=%d", id))    // other text
		s = append(s, fmt.Sprintf("%05d", id))     // a width
		s = append(s, fmt.Sprintf("%v", cs[i]))    // String method
		s = append(s, fmt.Sprintf("%s", "x"))      // not a number
		s = append(s, fmt.Sprintf("%d %d", id, i)) // two values
		_ = ps
	}
	for i := range 4 {
		s = append(s, fmt.Sprintf("%d", i)) // four iterations
	}
	return s
}

func namedPlain(ps []plain) (s []string) {
	for _, p := range ps {
		s = append(s, fmt.Sprintf("%d", p)) // want `strconv.FormatInt does the same`
	}
	return s
}
