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

package statuswrite

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestPacer(t *testing.T) {
	now := time.Unix(1000, 0)
	p := &Pacer[string]{Interval: 10 * time.Second, Now: func() time.Time { return now }}

	// Progress first seen: wait a whole interval before reporting it.
	assert.Equal(t, 10*time.Second, p.Progress("a"))
	now = now.Add(4 * time.Second)
	assert.Equal(t, 6*time.Second, p.Progress("a"), "the clock started when the progress was first seen")
	now = now.Add(6 * time.Second)
	assert.Equal(t, time.Duration(0), p.Progress("a"))

	// A write (progress or milestone) restarts the clock.
	p.Wrote("a")
	now = now.Add(3 * time.Second)
	assert.Equal(t, 7*time.Second, p.Progress("a"))

	// Keys are independent.
	assert.Equal(t, 10*time.Second, p.Progress("b"))

	// Settled objects are forgotten; progress after that starts afresh,
	// though a's interval had passed.
	now = now.Add(20 * time.Second)
	p.Done("a")
	assert.Equal(t, 10*time.Second, p.Progress("a"))
	assert.Equal(t, time.Duration(0), p.Progress("b"), "b is still remembered")
}

func TestPacerZeroValue(t *testing.T) {
	var p Pacer[string]
	p.Wrote("x")
	assert.Equal(t, time.Duration(0), p.Progress("x"), "no interval: progress is always worth a write")
	p.Done("y")
}

func TestPacerBudget(t *testing.T) {
	now := time.Unix(1000, 0)
	// One progress write per second for everyone, no burst beyond one.
	budget := rate.NewLimiter(1, 1)
	p := &Pacer[string]{Interval: 10 * time.Second, Budget: budget, Now: func() time.Time { return now }}
	for _, k := range []string{"a", "b", "c"} {
		p.Progress(k) // first seen
	}
	now = now.Add(10 * time.Second)
	assert.Equal(t, time.Duration(0), p.Progress("a"), "due, and the budget has room")
	p.Wrote("a")
	assert.Equal(t, 10*time.Second, p.Progress("b"), "due, but the budget is spent: try again an interval later")
	now = now.Add(time.Second)
	assert.Equal(t, time.Duration(0), p.Progress("c"), "the budget refilled")
	assert.Equal(t, 9*time.Second, p.Progress("b"), "b waits out its new interval")
}

func TestPacerWrite(t *testing.T) {
	now := time.Unix(1000, 0)
	p := &Pacer[string]{Interval: 10 * time.Second, Now: func() time.Time { return now }}
	writes := 0
	write := func() error { writes++; return nil }

	wait, err := p.Write("a", false, false, write)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Second, wait, "progress first seen waits an interval")
	assert.Equal(t, 0, writes)

	wait, err = p.Write("a", true, false, write)
	require.NoError(t, err)
	assert.Zero(t, wait)
	assert.Equal(t, 1, writes, "news is written at once")
	assert.Equal(t, 10*time.Second, p.Progress("a"), "and restarts the interval")

	now = now.Add(10 * time.Second)
	_, err = p.Write("a", false, false, func() error { return assert.AnError })
	require.ErrorIs(t, err, assert.AnError)
	assert.Zero(t, p.Progress("a"), "a failed write records nothing: still due")

	_, err = p.Write("a", false, true, write)
	require.NoError(t, err)
	assert.Equal(t, 2, writes)
	assert.Equal(t, 10*time.Second, p.Progress("a"), "settled forgets the key: new progress starts afresh")
}
