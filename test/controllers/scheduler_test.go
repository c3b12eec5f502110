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
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/scheduler"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// ready makes a joined Cluster that reports Ready, as the cluster status
// controller would.
func ready(t *testing.T, name string) {
	t.Helper()
	joined(t, name, "")
	c := &clusterv1alpha1.Cluster{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Name: name}, c))
	meta.SetStatusCondition(&c.Status.Conditions, metav1.Condition{Type: clusterv1alpha1.ClusterConditionReady, Status: metav1.ConditionTrue, Reason: "Test", Message: "set by the test"})
	require.NoError(t, cp.Status().Update(t.Context(), c))
}

// TestSchedulerPlacesAndExplains: the scheduler alone divides a binding's
// replicas by its static weights into spec.clusters, owns its Scheduled
// condition on the wire, follows a cluster that stops fitting, and says
// why when nothing fits, on the binding and on its template.
func TestSchedulerPlacesAndExplains(t *testing.T) {
	runAlone(t, func(mgr ctrl.Manager) error {
		return (&scheduler.Scheduler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("karmada-scheduler")}).SetupWithManager(mgr)
	})
	ctx := t.Context()
	ready(t, "sa")
	ready(t, "sb")
	ns := framework.TestNamespace(t, cp, "scheduler")

	// What the detector would have written.
	bind := func(name string, clusters []string, rs *policyv1alpha1.ReplicaSchedulingStrategy) *workv1alpha2.ResourceBinding {
		t.Helper()
		rb := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: names.BindingName("Deployment", name)}}
		rb.Spec.Resource = workv1alpha2.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: name}
		rb.Spec.Replicas = 4
		rb.Spec.Placement = &framework.Policy(ns, name, clusters, rs).Spec.Placement
		require.NoError(t, cp.Create(ctx, rb))
		return rb
	}
	placedAs := func(rb *workv1alpha2.ResourceBinding, want []workv1alpha2.TargetCluster) {
		t.Helper()
		framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
			if err := cp.Get(ctx, client.ObjectKeyFromObject(rb), rb); err != nil {
				return false, err.Error()
			}
			cond := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.Scheduled)
			ok := cond != nil && cond.Status == metav1.ConditionTrue && cond.ObservedGeneration == rb.Generation &&
				assert.ObjectsAreEqual(want, rb.Spec.Clusters)
			return ok, fmt.Sprintf("clusters %+v, condition %+v", rb.Spec.Clusters, cond)
		})
	}

	web := bind("web", []string{"sa", "sb"}, framework.Weights(map[string]int64{"sa": 1, "sb": 3}))
	placedAs(web, []workv1alpha2.TargetCluster{{Name: "sa", Replicas: 1}, {Name: "sb", Replicas: 3}})
	assert.Equal(t, web.Generation, web.Status.SchedulerObservedGeneration)
	assert.NotNil(t, web.Status.LastScheduledTime)
	var owners []string
	for _, m := range web.ManagedFields {
		if m.Subresource == "status" {
			owners = append(owners, m.Manager+"/"+string(m.Operation))
		}
	}
	assert.Equal(t, []string{scheduler.FieldOwner + "/Apply"}, owners, "the scheduler applies its own part of the status")

	// A NoSchedule taint keeps what a cluster holds (as in Karmada); a
	// NoExecute one sends its replicas to the other.
	taint := func(effect corev1.TaintEffect) {
		t.Helper()
		c := &clusterv1alpha1.Cluster{}
		require.NoError(t, cp.Get(ctx, client.ObjectKey{Name: "sb"}, c))
		c.Spec.Taints = []corev1.Taint{{Key: "test/drain", Effect: effect}}
		require.NoError(t, cp.Update(ctx, c))
	}
	taint(corev1.TaintEffectNoSchedule)
	web.Spec.Replicas = 8 // a new generation, scheduled with the taint
	require.NoError(t, cp.Update(ctx, web))
	placedAs(web, []workv1alpha2.TargetCluster{{Name: "sa", Replicas: 2}, {Name: "sb", Replicas: 6}})
	taint(corev1.TaintEffectNoExecute)
	placedAs(web, []workv1alpha2.TargetCluster{{Name: "sa", Replicas: 8}})

	// Nothing fits: said on the binding, its condition and its template.
	lost := bind("lost", []string{"nowhere"}, nil)
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		if err := cp.Get(ctx, client.ObjectKeyFromObject(lost), lost); err != nil {
			return false, err.Error()
		}
		cond := meta.FindStatusCondition(lost.Status.Conditions, workv1alpha2.Scheduled)
		return cond != nil && cond.Status == metav1.ConditionFalse, fmt.Sprintf("condition %+v", cond)
	})
	cond := meta.FindStatusCondition(lost.Status.Conditions, workv1alpha2.Scheduled)
	assert.Equal(t, workv1alpha2.BindingReasonNoClusterFit, cond.Reason)
	assert.Empty(t, lost.Spec.Clusters)
	events := &framework.Env{CP: cp}
	events.ExpectEventOn(t, ns, "ResourceBinding", lost.Name, "ScheduleBindingFailed", "")
	events.ExpectEventOn(t, ns, "Deployment", "lost", "ScheduleBindingFailed", "")
}
