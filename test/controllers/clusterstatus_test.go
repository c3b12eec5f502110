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

package controllers

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/clusterstatus"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
)

// TestClusterStatusObservesAndCounts: the cluster status reconciler,
// called pass by pass against a real member, reports what the member has,
// and changes readiness only after the thresholds of failed and good
// probes, keeping what it last knew while the member does not answer.
func TestClusterStatusObservesAndCounts(t *testing.T) {
	_ = memberClient(t)
	ctx := t.Context()
	r := &clusterstatus.Reconciler{Client: cp, Members: member.NewSet(cp, 20, 40), Interval: time.Minute, FailureThreshold: 2, SuccessThreshold: 2}
	req := ctrl.Request{NamespacedName: client.ObjectKey{Name: memberName}}
	pass := func() (metav1.Condition, clusterv1alpha1.ClusterStatus) {
		t.Helper()
		res, err := r.Reconcile(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, time.Minute, res.RequeueAfter, "looks again after the interval")
		c := &clusterv1alpha1.Cluster{}
		require.NoError(t, cp.Get(ctx, req.NamespacedName, c))
		ready := meta.FindStatusCondition(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady)
		require.NotNil(t, ready)
		return *ready, c.Status
	}
	setEndpoint := func(endpoint string) {
		t.Helper()
		ctx := context.WithoutCancel(ctx) // also when the test ends
		c := &clusterv1alpha1.Cluster{}
		require.NoError(t, cp.Get(ctx, req.NamespacedName, c))
		c.Spec.APIEndpoint = endpoint
		require.NoError(t, cp.Update(ctx, c))
	}

	ready, status := pass()
	assert.Equal(t, metav1.ConditionTrue, ready.Status, "the first answer decides: %s", ready.Message)
	assert.NotEmpty(t, status.KubernetesVersion)
	require.NotNil(t, status.NodeSummary)
	assert.Equal(t, clusterv1alpha1.NodeSummary{TotalNum: 1, ReadyNum: 1}, *status.NodeSummary)
	require.NotNil(t, status.ResourceSummary)
	assert.Equal(t, "8", status.ResourceSummary.Allocatable.Cpu().String(), "the member's one node")
	assert.True(t, slices.ContainsFunc(status.APIEnablements, func(e clusterv1alpha1.APIEnablement) bool {
		return e.GroupVersion == "apps/v1" && slices.ContainsFunc(e.Resources, func(r clusterv1alpha1.APIResource) bool { return r.Kind == "Deployment" })
	}), "the member serves Deployments")

	// The member stops answering: one failure is tolerated, two are not;
	// what it last said stays.
	c := &clusterv1alpha1.Cluster{}
	require.NoError(t, cp.Get(ctx, req.NamespacedName, c))
	endpoint := c.Spec.APIEndpoint
	t.Cleanup(func() { setEndpoint(endpoint) })
	setEndpoint("https://127.0.0.1:1")
	ready, _ = pass()
	assert.Equal(t, metav1.ConditionTrue, ready.Status)
	assert.Contains(t, ready.Message, "1 of 2")
	ready, down := pass()
	assert.Equal(t, metav1.ConditionFalse, ready.Status)
	assert.Equal(t, "ClusterNotReady", ready.Reason)
	assert.Equal(t, status.KubernetesVersion, down.KubernetesVersion, "the last known version is kept")
	assert.Equal(t, status.ResourceSummary, down.ResourceSummary, "the last known resources are kept")

	// Back: ready again after two good probes.
	setEndpoint(endpoint)
	ready, _ = pass()
	assert.Equal(t, metav1.ConditionFalse, ready.Status)
	assert.Contains(t, ready.Message, "recovering (1 of 2")
	ready, _ = pass()
	assert.Equal(t, metav1.ConditionTrue, ready.Status)
}
