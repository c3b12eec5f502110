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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// TestNoExecuteTolerationSeconds: a NoExecute taint tolerated for a while
// keeps a cluster that holds the workload until then, and the default
// tolerations apply only to a taint the placement does not name.
func TestNoExecuteTolerationSeconds(t *testing.T) {
	added := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	c := withCPU("m1", "4")
	c.Taints = []corev1.Taint{{Key: "outage", Effect: corev1.TaintEffectNoExecute, TimeAdded: &added}}
	w := deployment(2, policyv1alpha1.Placement{ClusterTolerations: []corev1.Toleration{{
		Key: "outage", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](60)}}})
	w.Current = []workv1alpha2.TargetCluster{{Name: "m1", Replicas: 2}}

	w.Now = added.Add(30 * time.Second)
	assert.Nil(t, Evicting(w, c), "still tolerated")
	assert.Equal(t, added.Add(time.Minute), NextEviction(w, []Cluster{c}))
	w.Now = added.Add(time.Minute)
	assert.Equal(t, "outage", Evicting(w, c).Key, "the toleration ran out")
	assert.True(t, NextEviction(w, []Cluster{c}).IsZero())

	// A taint the placement does not name falls to the defaults.
	c.Taints[0].Key = "cluster.karmada.io/not-ready"
	w.DefaultTolerations = []corev1.Toleration{{Key: "cluster.karmada.io/not-ready", Operator: corev1.TolerationOpExists,
		Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)}}
	assert.Nil(t, Evicting(w, c))
	w.DefaultTolerations = nil
	assert.NotNil(t, Evicting(w, c), "no toleration at all: evicted at once")
}
