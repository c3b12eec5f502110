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

package propagate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/runtime/schema"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/target"
)

func TestPolicyFromFlags(t *testing.T) {
	o := &Options{
		Namespace: "default", DynamicWeight: true, SpreadBy: "region", MinGroups: 2,
		ClusterLabels: map[string]string{"env": "prod"}, Regions: []string{"us-east", "eu-west"},
		Tolerate: []string{"cluster.karmada.io/unschedulable:NoSchedule"},
		target:   target.Target{GVK: schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}, Namespace: "default", Name: "nginx"},
	}
	require.NoError(t, o.Validate())
	pp := o.policy().(*policyv1alpha1.PropagationPolicy)
	assert.Equal(t, "nginx-deployment", pp.Name)
	p := pp.Spec.Placement
	assert.Equal(t, map[string]string{"env": "prod"}, p.ClusterAffinity.LabelSelector.MatchLabels)
	assert.Equal(t, []string{"us-east", "eu-west"}, p.ClusterAffinity.FieldSelector.MatchExpressions[0].Values)
	assert.Equal(t, []policyv1alpha1.SpreadConstraint{
		{SpreadByField: "region", MinGroups: 2},
		{SpreadByField: "cluster", MinGroups: 2},
	}, p.SpreadConstraints)
	assert.Len(t, p.ClusterTolerations, 1)
	assert.Equal(t, policyv1alpha1.DynamicWeightByAvailableReplicas, p.ReplicaScheduling.WeightPreference.DynamicWeight)
	assert.Contains(t, o.describe(), "spread over at least 2 region group(s)")

	o.SpreadBy, o.MaxGroups = "continent", 0
	require.ErrorContains(t, o.Validate(), "--spread-by")
	o.SpreadBy, o.MaxGroups = "zone", 1
	require.ErrorContains(t, o.Validate(), "max not below min")
}
