// Package sprintfconv defines an Analyzer that reports fmt.Sprintf calls
// in loops that only format one integer or boolean.
//
// # Analyzer sprintfconv
//
// sprintfconv: report fmt.Sprintf of a single integer or bool in a loop (use strconv)
//
// fmt.Sprintf("%d", n) parses its format string, boxes n in an interface
// (an allocation for most values) and goes through fmt's reflection-based
// printer, to produce what strconv.Itoa(n) produces directly: about three
// to five times slower and one or two allocations more per call. In a loop
// that adds up.
//
// Bad:
//
//	for _, id := range ids {
//		keys = append(keys, fmt.Sprintf("%d", id))
//	}
//
// Good:
//
//	for _, id := range ids {
//		keys = append(keys, strconv.Itoa(id))
//	}
//
// The rule matches fmt.Sprintf with a constant format of exactly "%d" or
// "%v" and one argument of an integer type, or "%t" or "%v" and one
// argument of type bool, inside a loop; the message names the strconv
// function (Itoa for int, FormatInt or FormatUint for the other integer
// types, FormatBool). No fix is suggested: it would add an import.
//
// Silent when: the argument's type has methods (a String or Format method
// changes what %v prints), the format has other text, flags or widths, the
// call is outside a loop or the loop has a small constant trip count (at
// most 8).
package sprintfconv
