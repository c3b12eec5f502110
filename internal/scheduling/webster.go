/*
Copyright 2026 The kubectl-karmada Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package scheduling

import (
	"container/heap"
	"math"
	"math/bits"
)

// Webster divides n seats among parties by weight with the Webster
// (Sainte-Laguë) method, as Karmada does since v1.16: seats go one at a
// time to the party with the highest weight/(2*seats+1). Ties go to the
// larger weight, then to the earlier party, so the same input always gives
// the same result. Parties of weight 0 (or less) get nothing.
//
// Examples: 9 seats at 1:2 give 3:6; 12 at 6:12:18 give 2:4:6; 10 at 1:1:1
// give 4:3:3.
//
// Handing out seats one at a time would cost O(n log k), and n is a
// replica count a user chooses (up to 2^31-1), so the division starts
// from a lower bound of every party's final seats worked out from its
// share of the weight, and hands out only the last few (at most 4 per
// party) one at a time: O(k log k) whatever n is. The result is exactly
// the one-at-a-time result: Webster's seats are the n largest quotients
// over all parties, and a party's quotients fall as its seats grow, so any
// start below each party's final count leads to the same seats.
func Webster(n int32, weights []int64) []int32 {
	seats := make([]int32, len(weights))
	h := &quotients{weights: weights, seats: seats}
	var total float64
	for i, w := range weights {
		if w > 0 {
			h.order = append(h.order, i)
			total += float64(w)
		}
	}
	if len(h.order) == 0 || n <= 0 {
		return seats
	}
	left := n - startSeats(n, weights, total, len(h.order), seats)
	heap.Init(h)
	for range left {
		i := h.order[0]
		seats[i]++
		heap.Fix(h, 0)
	}
	return seats
}

// startSeats fills seats with a lower bound of each party's Webster seats
// and returns their sum.
//
// With k parties and a final threshold quotient t, party i holds
// s_i = w_i/(2t) ± 1/2 seats, so n = W/(2t) ± k/2 and
// s_i >= w_i*(n-k/2)/W - 1/2. The start w_i*(n-k)/W - 2, rounded down,
// stays below that even with float64's rounding (relative error 2^-52 on
// values below 2^31), and the sum it misses is at most 4 seats a party.
func startSeats(n int32, weights []int64, total float64, parties int, seats []int32) int32 {
	if int64(n) <= int64(parties) {
		return 0
	}
	var sum int32
	scale := float64(int64(n)-int64(parties)) / total
	for i, w := range weights {
		if w <= 0 {
			continue
		}
		s := math.Floor(float64(w)*scale) - 2
		if s <= 0 {
			continue
		}
		seats[i] = int32(min(s, float64(n))) //nolint:gosec // 0 < s <= n, an int32
		sum += seats[i]
	}
	return sum
}

// quotients is a max-heap of parties by their next Webster quotient.
type quotients struct {
	weights []int64
	seats   []int32
	order   []int
}

func (q *quotients) Len() int { return len(q.order) }

// Less compares weight_a/(2*seats_a+1) with weight_b/(2*seats_b+1) by
// cross-multiplying in 128 bits, so neither floating point nor an int64
// overflow decides (weights may be as large as int64 allows).
func (q *quotients) Less(i, j int) bool {
	a, b := q.order[i], q.order[j]
	if c := compareProducts(uint64(q.weights[a]), 2*uint64(q.seats[b])+1, uint64(q.weights[b]), 2*uint64(q.seats[a])+1); c != 0 { //nolint:gosec // weights in the heap are positive, seats are not negative
		return c > 0
	}
	if q.weights[a] != q.weights[b] {
		return q.weights[a] > q.weights[b]
	}
	return a < b
}

// compareProducts compares x1*y1 with x2*y2 without overflow: -1, 0 or 1.
func compareProducts(x1, y1, x2, y2 uint64) int {
	hi1, lo1 := bits.Mul64(x1, y1)
	hi2, lo2 := bits.Mul64(x2, y2)
	switch {
	case hi1 != hi2:
		return cmp(hi1, hi2)
	default:
		return cmp(lo1, lo2)
	}
}

func cmp(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (q *quotients) Swap(i, j int) { q.order[i], q.order[j] = q.order[j], q.order[i] }
func (q *quotients) Push(x any)    { q.order = append(q.order, x.(int)) }
func (q *quotients) Pop() any {
	last := q.order[len(q.order)-1]
	q.order = q.order[:len(q.order)-1]
	return last
}
