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
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/namespacesync"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestNamespaceSyncWritesAWorkPerMember: the namespace sync controller
// alone writes one Work per member for a namespace (overrides applied),
// one for a member that joins later, none for a skipped namespace, lets a
// namespace that starts to be skipped keep its copies, and removes the
// Works when the namespace goes.
func TestNamespaceSyncWritesAWorkPerMember(t *testing.T) {
	runAlone(t, func(mgr ctrl.Manager) error {
		skipped, err := namespacesync.CompileSkipped(namespacesync.DefaultSkipped)
		if err != nil {
			return err
		}
		return (&namespacesync.Reconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("namespace-sync"), Skipped: skipped}).SetupWithManager(mgr)
	})
	ctx := t.Context()
	joined(t, "nm1", "")
	require.NoError(t, cp.Create(ctx, &policyv1alpha1.ClusterOverridePolicy{ObjectMeta: metav1.ObjectMeta{Name: "ns-tier"},
		Spec: policyv1alpha1.OverrideSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Namespace", Name: "shop"}},
			OverrideRules: []policyv1alpha1.RuleWithCluster{{
				TargetCluster: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"nm1"}},
				Overriders: policyv1alpha1.Overriders{LabelsOverrider: []policyv1alpha1.LabelAnnotationOverrider{{
					Operator: policyv1alpha1.OverriderOpAdd, Value: map[string]string{"tier": "gold"}}}},
			}},
		}}))
	t.Cleanup(func() {
		_ = cp.Delete(context.Background(), &policyv1alpha1.ClusterOverridePolicy{ObjectMeta: metav1.ObjectMeta{Name: "ns-tier"}})
	})
	skipped := framework.TestNamespace(t, cp, "kube-shop")
	shop := framework.TestNamespace(t, cp, "shop")

	work := func(cluster, ns string) (*workv1alpha1.Work, error) {
		w := &workv1alpha1.Work{}
		err := cp.Get(ctx, client.ObjectKey{Namespace: names.ExecutionSpace(cluster), Name: names.WorkName("Namespace", ns, "")}, w)
		return w, err
	}
	written := func(cluster, ns string) *workv1alpha1.Work {
		t.Helper()
		var w *workv1alpha1.Work
		framework.Eventually(t, 30*time.Second, func(context.Context) (bool, string) {
			var err error
			w, err = work(cluster, ns)
			return err == nil, fmt.Sprintf("the Work of %s for %s: %v", ns, cluster, err)
		})
		return w
	}
	gone := func(cluster, ns string) {
		t.Helper()
		framework.Eventually(t, 30*time.Second, func(context.Context) (bool, string) {
			w, err := work(cluster, ns)
			if err == nil && !w.DeletionTimestamp.IsZero() {
				// No execution controller here to remove its finalizer.
				w.Finalizers = nil
				_ = cp.Update(ctx, w)
			}
			return client.IgnoreNotFound(err) == nil && err != nil, fmt.Sprintf("the Work of %s for %s is still there", ns, cluster)
		})
	}

	w := written("nm1", shop)
	manifest := &unstructured.Unstructured{}
	require.NoError(t, manifest.UnmarshalJSON(w.Spec.Workload.Manifests[0].Raw))
	assert.Equal(t, "Namespace", manifest.GetKind())
	assert.Equal(t, shop, manifest.GetName())
	assert.Equal(t, "gold", manifest.GetLabels()["tier"], "the ClusterOverridePolicy applies")
	assert.Equal(t, "true", manifest.GetLabels()[names.ManagedByLabel])
	assert.Contains(t, w.Finalizers, names.ExecutionFinalizer, "born with the execution controller's finalizer")
	require.Len(t, w.OwnerReferences, 1)
	assert.Equal(t, "Namespace", w.OwnerReferences[0].Kind)
	_, err := work("nm1", skipped)
	assert.True(t, client.IgnoreNotFound(err) == nil && err != nil, "kube-* is skipped by default")

	// A member that joins later gets it.
	joined(t, "nm2", "")
	w2 := written("nm2", shop)
	manifest = &unstructured.Unstructured{}
	require.NoError(t, manifest.UnmarshalJSON(w2.Spec.Workload.Manifests[0].Raw))
	assert.Empty(t, manifest.GetLabels()["tier"], "the override is nm1's only")

	// Skipped from now on: the Works go, and say the copies stay.
	ns := &corev1.Namespace{}
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Name: shop}, ns))
	ns.Labels[namespacesync.SkipLabel] = "true"
	require.NoError(t, cp.Update(ctx, ns))
	framework.Eventually(t, 30*time.Second, func(context.Context) (bool, string) {
		w, err := work("nm1", shop)
		if err != nil {
			return false, err.Error()
		}
		return !w.DeletionTimestamp.IsZero() && w.Spec.PreserveResourcesOnDeletion != nil && *w.Spec.PreserveResourcesOnDeletion,
			fmt.Sprintf("deleting %v, preserving %v", w.DeletionTimestamp, w.Spec.PreserveResourcesOnDeletion)
	})
	gone("nm1", shop)
	gone("nm2", shop)

	// Provisioned again, then deleted: the Works go with it.
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Name: shop}, ns))
	delete(ns.Labels, namespacesync.SkipLabel)
	require.NoError(t, cp.Update(ctx, ns))
	w = written("nm1", shop)
	assert.Nil(t, w.Spec.PreserveResourcesOnDeletion)
	require.NoError(t, cp.Delete(ctx, ns))
	gone("nm1", shop)
	gone("nm2", shop)
}

// TestNamespaceSyncHandsOverToAPolicy: a namespace a
// ClusterPropagationPolicy selects is that policy's binding's to place;
// the Works namespace sync wrote become the binding's.
func TestNamespaceSyncHandsOverToAPolicy(t *testing.T) {
	runAlone(t, func(mgr ctrl.Manager) error {
		return (&namespacesync.Reconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("namespace-sync")}).SetupWithManager(mgr)
	})
	ctx := t.Context()
	joined(t, "nm3", "")
	tools := framework.TestNamespace(t, cp, "tools")
	key := client.ObjectKey{Namespace: names.ExecutionSpace("nm3"), Name: names.WorkName("Namespace", tools, "")}
	labels := func(ctx context.Context) (map[string]string, error) {
		w := &workv1alpha1.Work{}
		err := cp.Get(ctx, key, w)
		return w.Labels, err
	}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		l, err := labels(ctx)
		return err == nil && l[namespacesync.Label] == tools, fmt.Sprintf("labels %v, %v", l, err)
	})

	crb := &workv1alpha2.ClusterResourceBinding{ObjectMeta: metav1.ObjectMeta{Name: names.BindingName("Namespace", tools)}}
	crb.Spec.Resource = workv1alpha2.ObjectReference{APIVersion: "v1", Kind: "Namespace", Name: tools}
	require.NoError(t, cp.Create(ctx, crb))
	t.Cleanup(func() { _ = cp.Delete(context.Background(), crb) })
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		l, err := labels(ctx)
		_, ours := l[namespacesync.Label]
		return err == nil && !ours && l[names.BindingNameLabel] == crb.Name, fmt.Sprintf("labels %v, %v", l, err)
	})
}
