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
)

func TestVersions(t *testing.T) {
	var v Versions[string]
	assert.False(t, v.Stale("a", "10"), "nothing written: nothing stale")

	v.Wrote("a", "10", "11")
	assert.True(t, v.Stale("a", "10"), "the cache still shows the version our write replaced")
	assert.True(t, v.Stale("a", "10"), "and says so until it catches up")
	assert.False(t, v.Stale("b", "10"), "keys are independent")

	assert.False(t, v.Stale("a", "11"), "the cache caught up")
	assert.False(t, v.Stale("a", "10"), "and the key is forgotten")

	v.Wrote("a", "12", "13")
	v.Forget("a")
	assert.False(t, v.Stale("a", "12"))

	v.Wrote("same", "20", "20")
	assert.False(t, v.Stale("same", "20"), "a write the server found unchanged brings no newer version to wait for")

	v.Wrote("new", "", "14")
	assert.True(t, v.Stale("new", ""), "created, and not in the cache yet")
}

func TestVersionsTrustEnds(t *testing.T) {
	now := time.Unix(100, 0)
	v := Versions[string]{Now: func() time.Time { return now }}
	v.Wrote("gone", "", "3")
	now = now.Add(29 * time.Second)
	assert.True(t, v.Stale("gone", ""))
	now = now.Add(2 * time.Second)
	assert.False(t, v.Stale("gone", ""), "a write the cache never showed is not waited for forever")
}
