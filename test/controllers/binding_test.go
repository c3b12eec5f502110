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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/binding"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// joined makes a Cluster and its execution namespace, as join and the
// lifecycle controller would.
func joined(t *testing.T, name, region string) {
	t.Helper()
	ctx := t.Context()
	require.NoError(t, cp.Create(ctx, &clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: clusterv1alpha1.ClusterSpec{
		APIEndpoint: "https://" + name + ".example:6443", SyncMode: clusterv1alpha1.Push, Region: region}}))
	require.NoError(t, cp.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: names.ExecutionSpace(name)}}))
}

// TestBindingControllerRendersAndAggregates: from a scheduled binding the
// binding controller writes one Work per cluster with that cluster's
// replicas and overrides; from the Works' status it writes its own part of
// the binding's status and the template's status.
func TestBindingControllerRendersAndAggregates(t *testing.T) {
	runAlone(t, func(mgr ctrl.Manager) error {
		return (&binding.Reconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("binding-controller"), Workers: 2}).SetupWithManager(mgr)
	})
	ctx := t.Context()
	joined(t, "bm1", "us-east")
	joined(t, "bm2", "eu-west")
	ns := framework.TestNamespace(t, cp, "binding")
	web := framework.Nginx(ns, "web", 4)
	require.NoError(t, cp.Create(ctx, web))
	require.NoError(t, cp.Create(ctx, &policyv1alpha1.OverridePolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "eu-registry"},
		Spec: policyv1alpha1.OverrideSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}},
			OverrideRules: []policyv1alpha1.RuleWithCluster{{
				TargetCluster: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"bm2"}},
				Overriders: policyv1alpha1.Overriders{ImageOverrider: []policyv1alpha1.ImageOverrider{{
					Component: policyv1alpha1.Registry, Operator: policyv1alpha1.OverriderOpReplace, Value: "eu.registry.example"}}},
			}},
		}}))

	// What the detector and the scheduler would have written.
	rb := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: names.BindingName("Deployment", "web"),
		Finalizers: []string{names.BindingFinalizer}}}
	rb.Spec.Resource = workv1alpha2.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: "web", UID: web.UID}
	rb.Spec.Replicas = 4
	rb.Spec.Clusters = []workv1alpha2.TargetCluster{{Name: "bm1", Replicas: 3}, {Name: "bm2", Replicas: 1}}
	require.NoError(t, cp.Create(ctx, rb))

	works := map[string]*workv1alpha1.Work{}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		var list workv1alpha1.WorkList
		if err := cp.List(ctx, &list, client.MatchingLabels{names.BindingNamespaceLabel: ns, names.BindingNameLabel: rb.Name}); err != nil {
			return false, err.Error()
		}
		for i := range list.Items {
			works[names.ClusterFromExecutionSpace(list.Items[i].Namespace)] = &list.Items[i]
		}
		return len(works) == 2, fmt.Sprintf("%d Works", len(list.Items))
	})
	for cluster, want := range map[string]struct {
		replicas int64
		image    string
	}{"bm1": {3, "nginx"}, "bm2": {1, "eu.registry.example/nginx"}} {
		manifest := &unstructured.Unstructured{}
		require.NoError(t, manifest.UnmarshalJSON(works[cluster].Spec.Workload.Manifests[0].Raw))
		replicas, _, _ := unstructured.NestedInt64(manifest.Object, "spec", "replicas")
		assert.Equal(t, want.replicas, replicas, cluster)
		containers, _, _ := unstructured.NestedSlice(manifest.Object, "spec", "template", "spec", "containers")
		assert.Equal(t, want.image, containers[0].(map[string]any)["image"], cluster)
		assert.Contains(t, works[cluster].Finalizers, names.ExecutionFinalizer, "born with its owner's finalizer")
	}

	// The members report, through the Works, as the execution controller would.
	for cluster, w := range works {
		n := map[string]int{"bm1": 3, "bm2": 1}[cluster]
		meta.SetStatusCondition(&w.Status.Conditions, metav1.Condition{Type: workv1alpha1.WorkApplied, Status: metav1.ConditionTrue,
			Reason: "AppliedSuccessful", Message: "applied", ObservedGeneration: w.Generation})
		w.Status.ManifestStatuses = []workv1alpha1.ManifestStatus{{
			Identifier: workv1alpha1.ResourceIdentifier{Group: "apps", Version: "v1", Kind: "Deployment", Resource: "deployments", Namespace: ns, Name: "web"},
			Status:     &runtime.RawExtension{Raw: fmt.Appendf(nil, `{"replicas":%d,"readyReplicas":%d,"availableReplicas":%d,"updatedReplicas":%d}`, n, n, n, n)},
			Health:     workv1alpha1.ResourceHealthy,
		}}
		require.NoError(t, cp.Status().Update(ctx, w))
	}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		tpl := &appsv1.Deployment{}
		if err := cp.Get(ctx, client.ObjectKeyFromObject(web), tpl); err != nil {
			return false, err.Error()
		}
		return tpl.Status.ReadyReplicas == 4, fmt.Sprintf("template status %+v", tpl.Status)
	})
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(rb), rb))
	assert.True(t, meta.IsStatusConditionTrue(rb.Status.Conditions, workv1alpha2.FullyApplied))
	require.Len(t, rb.Status.AggregatedStatus, 2)
	owners := []string{}
	for _, m := range rb.ManagedFields {
		if m.Subresource == "status" && strings.Contains(m.FieldsV1.GetRawString(), "f:aggregatedStatus") {
			owners = append(owners, m.Manager+"/"+string(m.Operation))
		}
	}
	assert.Equal(t, []string{binding.FieldOwner + "/Apply"}, owners, "the aggregated status has one writer")
}
