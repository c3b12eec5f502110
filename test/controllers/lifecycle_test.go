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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/cluster"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/taints"
)

// TestClusterLifecycle walks one Cluster through join, not ready, ready
// again and leave, calling the lifecycle reconciler at each step.
func TestClusterLifecycle(t *testing.T) {
	ctx := t.Context()
	members := member.NewSet(cp, 5, 10)
	r := &cluster.Lifecycle{Client: cp, Members: members}
	req := ctrl.Request{NamespacedName: client.ObjectKey{Name: "life"}}
	reconcile := func() ctrl.Result {
		t.Helper()
		res, err := r.Reconcile(ctx, req)
		require.NoError(t, err)
		return res
	}
	get := func() *clusterv1alpha1.Cluster {
		t.Helper()
		c := &clusterv1alpha1.Cluster{}
		require.NoError(t, cp.Get(ctx, req.NamespacedName, c))
		return c
	}
	setReady := func(status metav1.ConditionStatus) {
		t.Helper()
		c := get()
		meta.SetStatusCondition(&c.Status.Conditions, metav1.Condition{Type: clusterv1alpha1.ClusterConditionReady, Status: status, Reason: "Test", Message: "set by the test"})
		require.NoError(t, cp.Status().Update(ctx, c))
	}

	// Join: the credentials exist, the Cluster is created.
	require.NoError(t, client.IgnoreAlreadyExists(cp.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: names.ClusterNamespace}})))
	require.NoError(t, cp.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: names.ClusterNamespace, Name: "life"},
		Data: map[string][]byte{"token": []byte("t")}}))
	require.NoError(t, cp.Create(ctx, &clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "life"}, Spec: clusterv1alpha1.ClusterSpec{
		APIEndpoint: "https://life.example:6443", SyncMode: clusterv1alpha1.Push,
		SecretRef: &clusterv1alpha1.LocalSecretReference{Namespace: names.ClusterNamespace, Name: "life"}}}))
	reconcile()
	assert.Contains(t, get().Finalizers, names.ClusterFinalizer)
	space := &corev1.Namespace{}
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Name: names.ExecutionSpace("life")}, space), "the execution namespace")
	assert.Empty(t, get().Spec.Taints, "not known yet: no taint")

	// Not ready, then ready again.
	setReady(metav1.ConditionFalse)
	reconcile()
	require.Len(t, get().Spec.Taints, 2, "NoSchedule and NoExecute")
	notReady := get().Spec.Taints[0]
	assert.True(t, notReady.MatchTaint(&taints.NotReady))
	assert.True(t, get().Spec.Taints[1].MatchTaint(&taints.NotReadyNoExecute))
	require.NotNil(t, notReady.TimeAdded, "when it went away, for failover")
	require.NotNil(t, get().Spec.Taints[1].TimeAdded)
	reconcile()
	assert.Equal(t, notReady.TimeAdded.Unix(), get().Spec.Taints[0].TimeAdded.Unix(), "a second pass keeps the time")
	setReady(metav1.ConditionTrue)
	reconcile()
	assert.Empty(t, get().Spec.Taints)

	// A member the controllers reached.
	m, err := members.Get(ctx, "life")
	require.NoError(t, err)

	// Leave: the Cluster waits for its Works.
	work := &workv1alpha1.Work{ObjectMeta: metav1.ObjectMeta{Namespace: names.ExecutionSpace("life"), Name: "w"}}
	work.Spec.Workload.Manifests = []workv1alpha1.Manifest{{RawExtension: runtime.RawExtension{Raw: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"}}`)}}}
	require.NoError(t, cp.Create(ctx, work))
	require.NoError(t, cp.Delete(ctx, get()))
	assert.Equal(t, time.Second, reconcile().RequeueAfter, "a Work is left: look again")
	assert.Contains(t, get().Finalizers, names.ClusterFinalizer)

	require.NoError(t, cp.Delete(ctx, work))
	reconcile()
	err = cp.Get(ctx, req.NamespacedName, &clusterv1alpha1.Cluster{})
	assert.True(t, apierrors.IsNotFound(err), "the Cluster is gone: %v", err)
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Name: names.ExecutionSpace("life")}, space))
	assert.False(t, space.DeletionTimestamp.IsZero(), "its execution namespace goes")

	// Gone: the member stops.
	reconcile()
	select {
	case <-m.Done():
	default:
		t.Fatal("the member of a Cluster that is gone is stopped")
	}
	assert.Empty(t, members.Members())
}

// TestRejoinWaitsForTheOldExecutionSpace: a Cluster joined again under the
// name of one whose execution namespace is still being deleted gets its
// own once the old one is gone, not the dying one.
func TestRejoinWaitsForTheOldExecutionSpace(t *testing.T) {
	ctx := t.Context()
	r := &cluster.Lifecycle{Client: cp, Members: member.NewSet(cp, 5, 10)}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: names.ExecutionSpace("again"), Finalizers: []string{"test/hold"}}}
	require.NoError(t, cp.Create(ctx, ns))
	require.NoError(t, cp.Delete(ctx, ns))
	require.NoError(t, cp.Create(ctx, &clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "again"}, Spec: clusterv1alpha1.ClusterSpec{
		APIEndpoint: "https://again.example:6443", SyncMode: clusterv1alpha1.Push}}))
	t.Cleanup(func() {
		c := &clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "again"}}
		_ = cp.Patch(ctx, c, client.RawPatch("application/merge-patch+json", []byte(`{"metadata":{"finalizers":null}}`)))
		_ = cp.Delete(ctx, c)
	})

	res, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKey{Name: "again"}})
	require.NoError(t, err)
	assert.Equal(t, time.Second, res.RequeueAfter, "the old namespace is still going: look again")

	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(ns), ns))
	ns.Finalizers = nil
	require.NoError(t, cp.Update(ctx, ns))
	require.Eventually(t, func() bool {
		return apierrors.IsNotFound(cp.Get(ctx, client.ObjectKeyFromObject(ns), &corev1.Namespace{}))
	}, 30*time.Second, 100*time.Millisecond)
	res, err = r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKey{Name: "again"}})
	require.NoError(t, err)
	assert.Zero(t, res.RequeueAfter)
	fresh := &corev1.Namespace{}
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(ns), fresh))
	assert.True(t, fresh.DeletionTimestamp.IsZero(), "a new execution namespace")
}
