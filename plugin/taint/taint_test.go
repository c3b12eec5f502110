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

package taint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func TestParseTaint(t *testing.T) {
	for _, tc := range []struct {
		spec   string
		want   corev1.Taint
		remove bool
		err    string
	}{
		{spec: "dedicated=gpu:NoSchedule", want: corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}},
		{spec: "maintenance:NoExecute", want: corev1.Taint{Key: "maintenance", Effect: corev1.TaintEffectNoExecute}},
		{spec: "example.com/zone=a:PreferNoSchedule-", want: corev1.Taint{Key: "example.com/zone", Value: "a", Effect: corev1.TaintEffectPreferNoSchedule}, remove: true},
		{spec: "maintenance-", want: corev1.Taint{Key: "maintenance"}, remove: true},
		{spec: "maintenance", err: "the effect must be"},
		{spec: "k=v:Sometimes", err: "the effect must be"},
		{spec: "bad key!:NoSchedule", err: "invalid key"},
		{spec: "k=bad value:NoSchedule", err: "invalid value"},
	} {
		got, remove, err := ParseTaint(tc.spec)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.spec)
			continue
		}
		require.NoError(t, err, tc.spec)
		assert.Equal(t, tc.want, got, tc.spec)
		assert.Equal(t, tc.remove, remove, tc.spec)
	}
}

func TestMatchesAny(t *testing.T) {
	taint := corev1.Taint{Key: "k", Value: "v", Effect: corev1.TaintEffectNoSchedule}
	assert.True(t, matchesAny(taint, []corev1.Taint{{Key: "k"}}), "no effect: every effect")
	assert.True(t, matchesAny(taint, []corev1.Taint{{Key: "k", Effect: corev1.TaintEffectNoSchedule}}))
	assert.False(t, matchesAny(taint, []corev1.Taint{{Key: "k", Effect: corev1.TaintEffectNoExecute}}))
	assert.False(t, matchesAny(taint, []corev1.Taint{{Key: "other"}}))
}
