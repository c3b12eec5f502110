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

package taints

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestParse(t *testing.T) {
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
		{spec: ":NoSchedule", err: "invalid key"},
		{spec: "k=bad value:NoSchedule", err: "invalid value"},
	} {
		got, remove, err := Parse(tc.spec)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.spec)
			continue
		}
		require.NoError(t, err, tc.spec)
		assert.Equal(t, tc.want, got, tc.spec)
		assert.Equal(t, tc.remove, remove, tc.spec)
	}
}

func TestParseToleration(t *testing.T) {
	got, err := ParseToleration("cluster.karmada.io/unschedulable:NoSchedule")
	require.NoError(t, err)
	assert.Equal(t, corev1.Toleration{Key: "cluster.karmada.io/unschedulable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}, got)

	got, err = ParseToleration("dedicated=gpu:NoExecute")
	require.NoError(t, err)
	assert.Equal(t, corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "gpu", Effect: corev1.TaintEffectNoExecute}, got)

	for _, bad := range []string{"dedicated", ":NoSchedule", "dedicated:Sometimes", "dedicated-", "bad key!:NoSchedule"} {
		_, err := ParseToleration(bad)
		assert.ErrorContains(t, err, "use KEY[=VALUE]:EFFECT", bad)
	}
}

func TestEdit(t *testing.T) {
	since := metav1.Now()
	notReady := NotReady
	notReady.TimeAdded = &since
	gpu := corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}
	list := []corev1.Taint{notReady, gpu}

	got, changed := Edit(list, []corev1.Taint{Cordon}, nil)
	assert.True(t, changed)
	assert.Equal(t, []corev1.Taint{notReady, gpu, Cordon}, got, "added at the end; the others keep their place and time")

	got, changed = Edit(got, []corev1.Taint{Cordon}, nil)
	assert.False(t, changed, "cordon twice changes nothing")
	assert.Len(t, got, 3)

	got, changed = Edit(list, []corev1.Taint{{Key: "dedicated", Value: "cpu", Effect: corev1.TaintEffectNoSchedule}}, nil)
	assert.True(t, changed, "a new value replaces the taint of the same key and effect")
	assert.Equal(t, "cpu", got[1].Value)

	got, changed = Edit(list, nil, []corev1.Taint{{Key: "dedicated"}})
	assert.True(t, changed)
	assert.Equal(t, []corev1.Taint{notReady}, got, "a key without an effect removes every effect")

	_, changed = Edit(list, nil, []corev1.Taint{{Key: "dedicated", Effect: corev1.TaintEffectNoExecute}})
	assert.False(t, changed, "another effect is another taint")
}

func TestHas(t *testing.T) {
	list := []corev1.Taint{{Key: "k", Value: "v", Effect: corev1.TaintEffectNoSchedule}}
	assert.True(t, Has(list, corev1.Taint{Key: "k"}), "no effect: every effect")
	assert.True(t, Has(list, corev1.Taint{Key: "k", Effect: corev1.TaintEffectNoSchedule}))
	assert.False(t, Has(list, corev1.Taint{Key: "k", Effect: corev1.TaintEffectNoExecute}))
	assert.False(t, Has(list, corev1.Taint{Key: "other"}))
}
