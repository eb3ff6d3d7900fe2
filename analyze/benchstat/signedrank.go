package benchstat

import (
	"math"
	"sort"
)

// signedRank is the two-sided Wilcoxon signed-rank test of "the
// differences d are symmetric around 0", exact (also with tied ranks, by
// counting over doubled ranks). It uses ranks, not magnitudes, so one round
// disturbed by a burst of other load cannot dominate it. Zeros are dropped.
func signedRank(d []float64) float64 {
	var nz []float64
	for _, x := range d {
		if x != 0 {
			nz = append(nz, x)
		}
	}
	n := len(nz)
	if n == 0 {
		return 1
	}
	// Doubled average ranks of |d| (integers even with ties).
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(nz[idx[a]]) < math.Abs(nz[idx[b]]) })
	rank2 := make([]int, n)
	for i := 0; i < n; {
		j := i
		for j+1 < n && math.Abs(nz[idx[j+1]]) == math.Abs(nz[idx[i]]) {
			j++
		}
		// Ranks i+1..j+1 share their average; doubled: i+j+2.
		for k := i; k <= j; k++ {
			rank2[idx[k]] = i + j + 2
		}
		i = j + 1
	}
	total, wPlus := 0, 0
	for i, x := range nz {
		total += rank2[i]
		if x > 0 {
			wPlus += rank2[i]
		}
	}
	// counts[s]: number of sign assignments whose positive doubled ranks sum
	// to s, as a fraction of all 2^n (halved at each step to stay in range).
	counts := make([]float64, total+1)
	counts[0] = 1
	hi := 0
	for _, r := range rank2 {
		for s := hi; s >= 0; s-- {
			counts[s+r] += counts[s]
		}
		hi += r
		for s := 0; s <= hi; s++ {
			counts[s] /= 2
		}
	}
	var lower, upper float64
	for s, c := range counts {
		if s <= wPlus {
			lower += c
		}
		if s >= wPlus {
			upper += c
		}
	}
	return math.Min(1, 2*math.Min(lower, upper))
}
