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
	"encoding/binary"
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oneAtATime is Webster as its definition reads: each seat to the highest
// quotient, compared in exact arithmetic. The tests hold the fast
// division to it.
func oneAtATime(n int32, weights []int64) []int32 {
	seats := make([]int32, len(weights))
	for range n {
		best := -1
		for i, w := range weights {
			if w <= 0 {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			qi := new(big.Rat).SetFrac(big.NewInt(w), big.NewInt(2*int64(seats[i])+1))
			qb := new(big.Rat).SetFrac(big.NewInt(weights[best]), big.NewInt(2*int64(seats[best])+1))
			if c := qi.Cmp(qb); c > 0 || c == 0 && w > weights[best] {
				best = i
			}
		}
		if best < 0 {
			break
		}
		seats[best]++
	}
	return seats
}

func seatTotal(seats []int32) int64 {
	var s int64
	for _, x := range seats {
		s += int64(x)
	}
	return s
}

// Equal weights near the top of int64 used to overflow the cross
// multiplication and give every seat to one party.
func TestWebsterHugeWeights(t *testing.T) {
	assert.Equal(t, []int32{2, 2}, Webster(4, []int64{1 << 62, 1 << 62}))
	assert.Equal(t, []int32{2, 2}, Webster(4, []int64{math.MaxInt64, math.MaxInt64}))
	assert.Equal(t, []int32{1, 3}, Webster(4, []int64{math.MaxInt64 / 3, math.MaxInt64}))
	assert.Equal(t, oneAtATime(1000, []int64{math.MaxInt64, 1, math.MaxInt64 - 1}), Webster(1000, []int64{math.MaxInt64, 1, math.MaxInt64 - 1}))
}

// The largest replica count a Deployment takes divides in a handful of
// steps; one seat at a time it took about 40 s.
func TestWebsterHugeCount(t *testing.T) {
	got := Webster(math.MaxInt32, []int64{1, 1, 1})
	assert.Equal(t, []int32{715827883, 715827882, 715827882}, got)
	got = Webster(math.MaxInt32, []int64{1, 2, 1 << 40, 0, 7})
	assert.Equal(t, int64(math.MaxInt32), seatTotal(got))
	assert.Zero(t, got[3])
}

func TestWebsterMatchesOneAtATime(t *testing.T) {
	cases := [][]int64{{7, 3, 11, 1, 5}, {1, 1, 1}, {0, 5}, {100, 1}, {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, {1 << 40, 1, 1 << 20}}
	for _, weights := range cases {
		for n := int32(0); n < 300; n++ {
			require.Equal(t, oneAtATime(n, weights), Webster(n, weights), "%d at %v", n, weights)
		}
	}
}

// FuzzWebster holds the fast division to the definition on any weights
// (zero, negative, up to int64's limits) and seat counts a test can count
// one at a time, and checks the sum on counts it cannot.
func FuzzWebster(f *testing.F) {
	f.Add(uint16(10), []byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0})
	f.Add(uint16(4), []byte{0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x40})
	f.Add(uint16(999), []byte{3, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 9, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, n uint16, raw []byte) {
		var weights []int64
		for len(raw) >= 8 && len(weights) < 20 {
			weights = append(weights, int64(binary.LittleEndian.Uint64(raw))) //nolint:gosec // any bit pattern is a test input
			raw = raw[8:]
		}
		small := int32(n % 2048) // what the definition counts in good time
		require.Equal(t, oneAtATime(small, weights), Webster(small, weights))

		many := Webster(math.MaxInt32-int32(n), weights)
		positive := false
		for i, w := range weights {
			positive = positive || w > 0
			if w <= 0 {
				require.Zero(t, many[i], "a party without weight gets nothing")
			}
		}
		if positive {
			require.Equal(t, int64(math.MaxInt32-int32(n)), seatTotal(many))
		}
	})
}
