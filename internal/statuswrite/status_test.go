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
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestStatusWrite(t *testing.T) {
	now := time.Unix(1000, 0)
	var s Status[string]
	s.Interval, s.Pacer.Now = 10*time.Second, func() time.Time { return now }
	obj := &unstructured.Unstructured{}
	obj.SetResourceVersion("5")
	write := func() error { obj.SetResourceVersion("6"); return nil }

	wait, err := s.Write("a", obj, false, false, write)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Second, wait, "progress waits its interval")
	assert.Equal(t, "5", obj.GetResourceVersion(), "and nothing was written")

	_, err = s.Write("a", obj, true, false, write)
	require.NoError(t, err)
	assert.True(t, s.Stale("a", "5"), "a cache still at the replaced version is behind our write")
	assert.False(t, s.Stale("a", "6"), "until it shows the new one")

	obj.SetResourceVersion("7")
	_, err = s.Write("a", obj, true, true, func() error { obj.SetResourceVersion("8"); return nil })
	require.NoError(t, err)
	s.Forget("a")
	assert.False(t, s.Stale("a", "7"), "forgotten: the object went away")
	wait, _ = s.Write("a", obj, false, false, write)
	assert.Equal(t, 10*time.Second, wait, "and its progress starts afresh")
}
