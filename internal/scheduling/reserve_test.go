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
	"k8s.io/apimachinery/pkg/runtime"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestNotStartedReplicasAreReserved(t *testing.T) {
	other := &workv1alpha2.ResourceBinding{}
	other.UID = "other"
	other.Spec = workv1alpha2.ResourceBindingSpec{
		ReplicaRequirements: &workv1alpha2.ReplicaRequirements{ResourceRequest: oneCPU},
		Clusters:            []workv1alpha2.TargetCluster{{Name: "a", Replicas: 3}, {Name: "b", Replicas: 2}},
	}
	other.Status.AggregatedStatus = []workv1alpha2.AggregatedStatusItem{
		{ClusterName: "a", Status: &runtime.RawExtension{Raw: []byte(`{"replicas":1,"readyReplicas":0}`)}},
		{ClusterName: "b", Status: &runtime.RawExtension{Raw: []byte(`{"replicas":2}`)}},
	}
	self := other.DeepCopy()
	self.UID = "self"
	assert.Empty(t, NotStarted([]workv1alpha2.Binding{other}, "other"), "a binding does not reserve against itself")
	reserved := NotStarted([]workv1alpha2.Binding{other, self}, "self")
	require.Contains(t, reserved, "a")
	assert.NotContains(t, reserved, "b", "every replica in b has its pod")
	cpu := reserved["a"]["cpu"]
	assert.Equal(t, "2", cpu.String())

	clusters := []Cluster{withCPU("a", "4"), withCPU("b", "4")}
	Reserve(clusters, reserved)
	assert.Equal(t, int64(2), AvailableReplicas(clusters[0], oneCPU))
	assert.Equal(t, int64(4), AvailableReplicas(clusters[1], oneCPU))
}
