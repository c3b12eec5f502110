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
