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
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestForBinding(t *testing.T) {
	spec := &workv1alpha2.ResourceBindingSpec{
		Resource:            workv1alpha2.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
		Replicas:            4,
		ReplicaRequirements: &workv1alpha2.ReplicaRequirements{ResourceRequest: oneCPU},
		Placement:           &policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"a"}}},
		Clusters:            []workv1alpha2.TargetCluster{{Name: "a", Replicas: 4}},
	}
	w := ForBinding(spec)
	assert.Equal(t, Workload{APIVersion: "apps/v1", Kind: "Deployment", Replicas: 4, HasReplicas: true,
		Placement: *spec.Placement, Current: spec.Clusters, Requests: oneCPU}, w)

	cm := ForBinding(&workv1alpha2.ResourceBindingSpec{Resource: workv1alpha2.ObjectReference{APIVersion: "v1", Kind: "ConfigMap"}})
	assert.False(t, cm.HasReplicas, "a ConfigMap goes whole to every cluster")
	assert.Equal(t, policyv1alpha1.Placement{}, cm.Placement, "no placement: the empty one")
}

func TestFailureReason(t *testing.T) {
	assert.Equal(t, workv1alpha2.BindingReasonNoClusterFit, FailureReason(fmt.Errorf("%w: taints", ErrNoClusterFit)))
	assert.Equal(t, workv1alpha2.BindingReasonUnschedulable, FailureReason(fmt.Errorf("%w: 3 short", ErrUnschedulable)))
	assert.Equal(t, workv1alpha2.BindingReasonSchedulerError, FailureReason(errors.New("something else")),
		"an error scheduling does not name is the scheduler's own")
}

func TestUnknown(t *testing.T) {
	joined := []clusterv1alpha1.Cluster{{ObjectMeta: metav1.ObjectMeta{Name: "m1"}}, {ObjectMeta: metav1.ObjectMeta{Name: "m2"}}}
	p := &policyv1alpha1.Placement{
		ClusterAffinity:   &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"m1", "m9"}},
		ClusterAffinities: []policyv1alpha1.ClusterAffinityTerm{{AffinityName: "b", ClusterAffinity: policyv1alpha1.ClusterAffinity{ClusterNames: []string{"m2", "mx"}}}},
		ReplicaScheduling: &policyv1alpha1.ReplicaSchedulingStrategy{WeightPreference: &policyv1alpha1.ClusterPreferences{
			StaticWeightList: []policyv1alpha1.StaticClusterWeight{{TargetCluster: policyv1alpha1.ClusterAffinity{ClusterNames: []string{"m9", "m3"}}, Weight: 1}}}},
	}
	assert.Equal(t, []string{"m3", "m9", "mx"}, Unknown(p, joined))
	assert.Empty(t, Unknown(&policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}}}, joined))
	assert.Empty(t, Unknown(nil, joined))
}
