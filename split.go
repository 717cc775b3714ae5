package menusync

import (
	"math/bits"
	"slices"
)

// apportion divides total among weights in proportion, exactly: every
// part is the floor of its share, and the units left over go one each to
// the largest remainders (ties to the earlier weight). The parts always
// add up to total; with equal weights they differ by at most one unit.
// Weights and total are not negative; a zero sum of weights gives nothing
// to anyone.
func apportion(total int64, weights []int64) []int64 {
	parts := make([]int64, len(weights))
	var sum uint64
	for _, w := range weights {
		sum += uint64(w)
	}
	if sum == 0 || total <= 0 {
		return parts
	}
	rems := make([]uint64, len(weights))
	var given int64
	for i, w := range weights {
		// total*w can pass 2^63 (a large bill times a large share): the
		// product is taken in 128 bits.
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, sum)
		parts[i], rems[i] = int64(q), r
		given += int64(q)
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rems[a] > rems[b]:
			return -1
		case rems[a] < rems[b]:
			return 1
		}
		return 0
	})
	for _, i := range order[:total-given] {
		parts[i]++
	}
	return parts
}

// mulDivRound is a*b/c rounded half up, for non-negative a, b and c > 0.
func mulDivRound(a, b, c int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, r := bits.Div64(hi, lo, uint64(c))
	if 2*r >= uint64(c) {
		q++
	}
	return int64(q)
}
