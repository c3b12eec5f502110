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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestWebster(t *testing.T) {
	for _, tc := range []struct {
		n       int32
		weights []int64
		want    []int32
	}{
		{9, []int64{1, 2}, []int32{3, 6}},
		{12, []int64{6, 12, 18}, []int32{2, 4, 6}},
		{10, []int64{1, 1, 1}, []int32{4, 3, 3}},
		{4, []int64{1, 3}, []int32{1, 3}},
		{5, []int64{0, 1}, []int32{0, 5}},
		{0, []int64{1, 1}, []int32{0, 0}},
		{3, []int64{0, 0}, []int32{0, 0}},
		{1, []int64{1, 2}, []int32{0, 1}},
	} {
		got := Webster(tc.n, tc.weights)
		assert.Equal(t, tc.want, got, "%d at %v", tc.n, tc.weights)
	}
}

func TestWebsterSumsAndIsStable(t *testing.T) {
	weights := []int64{7, 3, 11, 1, 5}
	for n := int32(0); n < 200; n++ {
		got := Webster(n, weights)
		var sum int32
		for _, s := range got {
			sum += s
		}
		require.Equal(t, n, sum)
		assert.Equal(t, got, Webster(n, weights), "same input, same output")
	}
}

var members = []Cluster{
	{Name: "member1", Region: "us-east", Zones: []string{"us-east-1a"}, Labels: map[string]string{"env": "prod"}},
	{Name: "member2", Region: "us-east", Zones: []string{"us-east-1b"}, Labels: map[string]string{"env": "dev"}},
	{Name: "member3", Region: "eu-west", Zones: []string{"eu-west-1a"}, Labels: map[string]string{"env": "prod"}},
}

func deployment(replicas int32, p policyv1alpha1.Placement) Workload {
	return Workload{APIVersion: "apps/v1", Kind: "Deployment", Replicas: replicas, HasReplicas: true, Placement: p}
}

func divided(weights ...policyv1alpha1.StaticClusterWeight) *policyv1alpha1.ReplicaSchedulingStrategy {
	s := &policyv1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDivided}
	if len(weights) > 0 {
		s.WeightPreference = &policyv1alpha1.ClusterPreferences{StaticWeightList: weights}
	}
	return s
}

func weight(cluster string, w int64) policyv1alpha1.StaticClusterWeight {
	return policyv1alpha1.StaticClusterWeight{TargetCluster: policyv1alpha1.ClusterAffinity{ClusterNames: []string{cluster}}, Weight: w}
}

func TestSchedule(t *testing.T) {
	tc := func(name string, replicas int32, p policyv1alpha1.Placement, want ...workv1alpha2.TargetCluster) {
		t.Run(name, func(t *testing.T) {
			res, err := Schedule(deployment(replicas, p), append([]Cluster(nil), members...))
			require.NoError(t, err)
			assert.Equal(t, want, res.Clusters)
		})
	}
	target := func(name string, r int32) workv1alpha2.TargetCluster {
		return workv1alpha2.TargetCluster{Name: name, Replicas: r}
	}

	tc("no placement duplicates everywhere", 2, policyv1alpha1.Placement{},
		target("member1", 2), target("member2", 2), target("member3", 2))
	tc("affinity by name", 3, policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"member3", "member1"}}},
		target("member1", 3), target("member3", 3))
	tc("exclude wins", 1, policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"member1", "member2"}, ExcludeClusters: []string{"member1"}}},
		target("member2", 1))
	tc("affinity by label", 1, policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}},
		target("member1", 1), target("member3", 1))
	tc("affinity by region field", 1, policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{FieldSelector: &policyv1alpha1.FieldSelector{
		MatchExpressions: []policyv1alpha1.FieldSelectorRequirement{{Key: "region", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"us-east"}}}}}},
		target("member3", 1))
	tc("static weights 1:3", 4, policyv1alpha1.Placement{
		ClusterAffinity:   &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"member1", "member2"}},
		ReplicaScheduling: divided(weight("member1", 1), weight("member2", 3))},
		target("member1", 1), target("member2", 3))
	tc("unmatched clusters get nothing", 6, policyv1alpha1.Placement{ReplicaScheduling: divided(weight("member2", 1), weight("member3", 2))},
		target("member2", 2), target("member3", 4))
	tc("divided without weights is equal", 10, policyv1alpha1.Placement{ReplicaScheduling: divided()},
		target("member1", 4), target("member2", 3), target("member3", 3))
	tc("the largest matching weight counts", 4, policyv1alpha1.Placement{ReplicaScheduling: divided(
		weight("member1", 1),
		policyv1alpha1.StaticClusterWeight{TargetCluster: policyv1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}, Weight: 3},
	)}, target("member1", 2), target("member3", 2))
	tc("first affinity term that fits", 2, policyv1alpha1.Placement{ClusterAffinities: []policyv1alpha1.ClusterAffinityTerm{
		{AffinityName: "primary", ClusterAffinity: policyv1alpha1.ClusterAffinity{ClusterNames: []string{"gone"}}},
		{AffinityName: "backup", ClusterAffinity: policyv1alpha1.ClusterAffinity{ClusterNames: []string{"member2"}}},
	}}, target("member2", 2))
}

func TestScheduleTaints(t *testing.T) {
	clusters := append([]Cluster(nil), members...)
	clusters[0].Taints = []corev1.Taint{{Key: "cluster.karmada.io/unschedulable", Effect: corev1.TaintEffectNoSchedule}}
	w := deployment(1, policyv1alpha1.Placement{})

	res, err := Schedule(w, clusters)
	require.NoError(t, err)
	assert.Equal(t, []string{"member2", "member3"}, names(res.Clusters))
	assert.Contains(t, res.Filtered("member1"), "TaintToleration")

	// Already placed there: NoSchedule does not evict.
	w.Current = []workv1alpha2.TargetCluster{{Name: "member1", Replicas: 1}}
	res, err = Schedule(w, clusters)
	require.NoError(t, err)
	assert.Equal(t, []string{"member1", "member2", "member3"}, names(res.Clusters))

	// NoExecute does.
	clusters[0].Taints[0].Effect = corev1.TaintEffectNoExecute
	res, err = Schedule(w, clusters)
	require.NoError(t, err)
	assert.Equal(t, []string{"member2", "member3"}, names(res.Clusters))

	// Unless tolerated.
	w.Placement.ClusterTolerations = []corev1.Toleration{{Key: "cluster.karmada.io/unschedulable", Operator: corev1.TolerationOpExists}}
	res, err = Schedule(w, clusters)
	require.NoError(t, err)
	assert.Equal(t, []string{"member1", "member2", "member3"}, names(res.Clusters))
}

func TestScheduleFailures(t *testing.T) {
	_, err := Schedule(deployment(1, policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"nowhere"}}}), append([]Cluster(nil), members...))
	require.ErrorIs(t, err, ErrNoClusterFit)
	assert.Contains(t, err.Error(), "member1: ClusterAffinity")

	clusters := []Cluster{{Name: "old", APIs: map[string]bool{"v1, ConfigMap": true}}}
	_, err = Schedule(deployment(1, policyv1alpha1.Placement{}), clusters)
	require.ErrorIs(t, err, ErrNoClusterFit)
	assert.Contains(t, err.Error(), "APIEnablement")

}

func TestNonWorkloadsGoEverywhereChosen(t *testing.T) {
	w := Workload{APIVersion: "v1", Kind: "ConfigMap", Placement: policyv1alpha1.Placement{ReplicaScheduling: divided(weight("member1", 1))}}
	res, err := Schedule(w, append([]Cluster(nil), members...))
	require.NoError(t, err)
	assert.Equal(t, []string{"member1", "member2", "member3"}, names(res.Clusters))
}

func names(ts []workv1alpha2.TargetCluster) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}
