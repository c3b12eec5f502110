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

package namespacesync

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestSynced(t *testing.T) {
	skipped, err := CompileSkipped(append(DefaultSkipped, "team-a"))
	require.NoError(t, err)
	r := &Reconciler{Skipped: skipped}
	for name, want := range map[string]bool{
		"shop": true, "team-a": false, "team-ab": true, "my-team-a": true, // whole names only
		"kube-system": false, "kube-public": false, "kubeflow": true,
		"default": false, "karmada-system": false, "karmada-cluster": false, "karmada-es-m1": false, "karmada-anything": false,
	} {
		assert.Equal(t, want, r.Synced(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}), name)
	}
	for value, want := range map[string]bool{"true": false, "True": false, "false": true, "": true} {
		ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop", Labels: map[string]string{SkipLabel: value}}}
		assert.Equal(t, want, r.Synced(ns), "label %q", value)
	}
}
