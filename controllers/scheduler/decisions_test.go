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

package scheduler

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"k8s.io/utils/ptr"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestSameButCapacity(t *testing.T) {
	made := []workv1alpha2.ClusterDecision{
		{Cluster: "m1", Selected: true, Replicas: 2, AvailableReplicas: ptr.To[int64](40)},
		{Cluster: "m2", Filter: "TaintToleration", Reason: "not ready"},
	}
	later := []workv1alpha2.ClusterDecision{
		{Cluster: "m1", Selected: true, Replicas: 2, AvailableReplicas: ptr.To[int64](31)},
		{Cluster: "m2", Filter: "TaintToleration", Reason: "not ready"},
	}
	assert.True(t, sameButCapacity(made, later), "only the capacity moved")

	recovered := []workv1alpha2.ClusterDecision{later[0], {Cluster: "m2", Selected: true, AvailableReplicas: ptr.To[int64](50)}}
	assert.False(t, sameButCapacity(made, recovered), "a cluster no longer filtered out is news")
	assert.False(t, sameButCapacity(made, later[:1]))
	assert.True(t, made[0].AvailableReplicas != nil && *made[0].AvailableReplicas == 40, "the inputs are left alone")
}
