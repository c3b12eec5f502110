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

import "container/heap"

// Webster divides n seats among parties by weight with the Webster
// (Sainte-Laguë) method, as Karmada does since v1.16: seats go one at a
// time to the party with the highest weight/(2*seats+1). Ties go to the
// larger weight, then to the earlier party, so the same input always gives
// the same result. Parties of weight 0 get nothing.
//
// Examples: 9 seats at 1:2 give 3:6; 12 at 6:12:18 give 2:4:6; 10 at 1:1:1
// give 4:3:3.
func Webster(n int32, weights []int64) []int32 {
	seats := make([]int32, len(weights))
	h := &quotients{weights: weights, seats: seats}
	for i, w := range weights {
		if w > 0 {
			h.order = append(h.order, i)
		}
	}
	if len(h.order) == 0 {
		return seats
	}
	heap.Init(h)
	for range n {
		i := h.order[0]
		seats[i]++
		heap.Fix(h, 0)
	}
	return seats
}

// quotients is a max-heap of parties by their next Webster quotient.
type quotients struct {
	weights []int64
	seats   []int32
	order   []int
}

func (q *quotients) Len() int { return len(q.order) }

// Less compares weight_a/(2*seats_a+1) with weight_b/(2*seats_b+1) by
// cross-multiplying, so no floating point decides a tie.
func (q *quotients) Less(i, j int) bool {
	a, b := q.order[i], q.order[j]
	left := q.weights[a] * (2*int64(q.seats[b]) + 1)
	right := q.weights[b] * (2*int64(q.seats[a]) + 1)
	if left != right {
		return left > right
	}
	if q.weights[a] != q.weights[b] {
		return q.weights[a] > q.weights[b]
	}
	return a < b
}

func (q *quotients) Swap(i, j int) { q.order[i], q.order[j] = q.order[j], q.order[i] }
func (q *quotients) Push(x any)    { q.order = append(q.order, x.(int)) }
func (q *quotients) Pop() any {
	last := q.order[len(q.order)-1]
	q.order = q.order[:len(q.order)-1]
	return last
}
