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

package clusterstatus

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHealthThresholds: the first answer decides; then FailureThreshold
// failed probes in a row make a ready member not ready, and
// SuccessThreshold good ones bring it back. One lost probe does not flap.
func TestHealthThresholds(t *testing.T) {
	r := &Reconciler{FailureThreshold: 3, SuccessThreshold: 2, health: map[string]*probeHistory{}}
	down := errors.New("connection refused")
	type want struct {
		ready  *bool
		reason string
	}
	yes, no := true, false
	for i, step := range []struct {
		probe error
		want  want
	}{
		{down, want{nil, "Probing"}},         // not known yet
		{nil, want{&yes, "ClusterReady"}},    // the first answer decides
		{down, want{&yes, "ClusterReady"}},   // one lost probe: still ready
		{down, want{&yes, "ClusterReady"}},   // two
		{nil, want{&yes, "ClusterReady"}},    // the count starts again
		{down, want{&yes, "ClusterReady"}},   //
		{down, want{&yes, "ClusterReady"}},   //
		{down, want{&no, "ClusterNotReady"}}, // three in a row: not ready
		{nil, want{&no, "ClusterNotReady"}},  // recovering, one good probe
		{down, want{&no, "ClusterNotReady"}}, // the good count starts again
		{nil, want{&no, "ClusterNotReady"}},  //
		{nil, want{&yes, "ClusterReady"}},    // two good ones in a row: ready
	} {
		ready, reason, message := r.record("m1", step.probe)
		if step.want.ready == nil {
			assert.Nil(t, ready, "step %d", i)
		} else {
			require.NotNil(t, ready, "step %d", i)
			assert.Equal(t, *step.want.ready, *ready, "step %d: %s", i, message)
		}
		assert.Equal(t, step.want.reason, reason, "step %d: %s", i, message)
	}
	ready, _, _ := r.record("m2", down)
	assert.Nil(t, ready, "members are counted apart")
}

func TestHealthMessagesSayWhy(t *testing.T) {
	r := &Reconciler{FailureThreshold: 2, SuccessThreshold: 1, health: map[string]*probeHistory{}}
	_, _, msg := r.record("m1", errors.New("tls: bad certificate"))
	assert.Contains(t, msg, "1 probes failed so far: tls: bad certificate")
	r.record("m1", nil)
	_, _, msg = r.record("m1", errors.New("timeout"))
	assert.Equal(t, "cluster is healthy; the last probe failed (1 of 2 before not ready): timeout", msg)
	r.record("m1", errors.New("timeout"))
	_, _, msg = r.record("m1", errors.New("timeout"))
	assert.Equal(t, "cluster is not reachable or not healthy: timeout", msg)
}
