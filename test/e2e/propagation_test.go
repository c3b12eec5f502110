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

package e2e

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
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// memberClients maps member names to clients.
func memberClients() map[string]client.Client {
	return map[string]client.Client{"e2e-m1": m1, "e2e-m2": m2, "e2e-m3": m3}
}

func TestClusterStatus(t *testing.T) {
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		c := &clusterv1alpha1.Cluster{}
		if err := cp.Get(ctx, client.ObjectKey{Name: "e2e-m2"}, c); err != nil {
			return false, err.Error()
		}
		s := c.Status
		switch {
		case !meta.IsStatusConditionTrue(s.Conditions, clusterv1alpha1.ClusterConditionReady):
			return false, fmt.Sprintf("not ready: %v", s.Conditions)
		case s.KubernetesVersion != "v1.34.4":
			return false, "version " + s.KubernetesVersion
		case s.NodeSummary == nil || s.NodeSummary.TotalNum != 2 || s.NodeSummary.ReadyNum != 2:
			return false, fmt.Sprintf("nodes %+v", s.NodeSummary)
		case s.ResourceSummary == nil || s.ResourceSummary.Allocatable.Cpu().String() != "8":
			return false, fmt.Sprintf("resources %+v", s.ResourceSummary)
		}
		for _, e := range s.APIEnablements {
			for _, r := range e.Resources {
				if e.GroupVersion == "apps/v1" && r.Kind == "Deployment" {
					return true, ""
				}
			}
		}
		return false, "apps/v1 Deployment not listed"
	})
	c := &clusterv1alpha1.Cluster{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Name: "e2e-m3"}, c))
	assert.Equal(t, "eu-west", c.Spec.Region)
	assert.Equal(t, []string{"eu-west-1a"}, c.Spec.Zones)
	assert.Equal(t, clusterv1alpha1.Push, c.Spec.SyncMode)
}

func TestDuplicated(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "duplicated")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m1", "e2e-m2"},
		&policyv1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDuplicated})))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2, "e2e-m2": 2})

	// The binding has Karmada's name and shape, and the template names its policy.
	rb := &workv1alpha2.ResourceBinding{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web-deployment"}, rb))
	assert.Equal(t, []workv1alpha2.TargetCluster{{Name: "e2e-m1", Replicas: 2}, {Name: "e2e-m2", Replicas: 2}}, rb.Spec.Clusters)
	assert.True(t, meta.IsStatusConditionTrue(rb.Status.Conditions, workv1alpha2.Scheduled))
	assert.True(t, meta.IsStatusConditionTrue(rb.Status.Conditions, workv1alpha2.FullyApplied))
	tpl := &appsv1.Deployment{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web"}, tpl))
	assert.Equal(t, "web", tpl.Annotations[names.PropagationPolicyNameAnnotation])
	assert.NotEmpty(t, tpl.Labels[names.PropagationPolicyPermanentIDLabel])
	work := &workv1alpha1.Work{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Namespace: "karmada-es-e2e-m1", Name: names.WorkName("Deployment", "web", ns)}, work))
	assert.Equal(t, rb.Labels[names.ResourceBindingPermanentIDLabel], work.Labels[names.ResourceBindingPermanentIDLabel], "the Work carries its binding's permanent ID")
	// As in Karmada, the member copy says which policy placed it.
	copy := &appsv1.Deployment{}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		err := m1.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web"}, copy)
		return err == nil && copy.Annotations[names.PropagationPolicyNameAnnotation] == "web", fmt.Sprintf("annotations %v, %v", copy.Annotations, err)
	})
	assert.Equal(t, ns, copy.Annotations[names.PropagationPolicyNamespaceAnnotation])
	assert.Equal(t, tpl.Labels[names.PropagationPolicyPermanentIDLabel], copy.Labels[names.PropagationPolicyPermanentIDLabel])

	// Karmada's success events, each said once.
	for reason, text := range map[string]string{
		"ApplyPolicySucceed":     fmt.Sprintf("Apply policy(%s/web) succeed", ns),
		"ScheduleBindingSucceed": "Binding has been scheduled successfully. Result: {e2e-m1:2, e2e-m2:2}",
		"SyncWorkSucceed":        fmt.Sprintf("Sync work of resourceBinding(%s/web-deployment) successful.", ns),
		"AggregateStatusSucceed": fmt.Sprintf("Update resourceBinding(%s/web-deployment) with AggregatedStatus successfully.", ns),
	} {
		fw.ExpectEvent(t, ns, "web", reason, text)
		if reason != "ApplyPolicySucceed" {
			fw.ExpectEventOn(t, ns, "ResourceBinding", "web-deployment", reason, text)
		}
	}
	es := names.ExecutionSpace("e2e-m1")
	fw.ExpectEventOn(t, es, "Work", work.Name, "SyncSucceed", fmt.Sprintf("Sync work(%s/%s) to cluster(e2e-m1) successful.", es, work.Name))
	fw.ExpectEventOn(t, es, "Work", work.Name, "ReflectStatusSucceed", fmt.Sprintf("Reflect status for object(Deployment/%s/web) succeed.", ns))
	fw.ExpectEventOn(t, es, "Work", work.Name, "InterpretHealthSucceed", fmt.Sprintf("Interpret health of object(Deployment/%s/web) as Healthy.", ns))
	var list eventsv1.EventList
	require.NoError(t, cp.List(t.Context(), &list, client.InNamespace(ns)))
	said := map[string]int{}
	for _, ev := range list.Items {
		if ev.Type == corev1.EventTypeNormal && ev.Regarding.Name == "web" {
			said[ev.Reason]++
			if ev.Series != nil {
				said[ev.Reason] += int(ev.Series.Count) - 1
			}
		}
	}
	for _, reason := range []string{"ApplyPolicySucceed", "ScheduleBindingSucceed", "SyncWorkSucceed", "AggregateStatusSucceed"} {
		assert.Equal(t, 1, said[reason], "%s said once at this generation", reason)
	}
}

func TestStaticWeightsFollowScaling(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "weights")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 4)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m1", "e2e-m2"}, framework.Weights(map[string]int64{"e2e-m1": 1, "e2e-m2": 3}))))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 1, "e2e-m2": 3})

	fw.Scale(t, ns, "web", 8)
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2, "e2e-m2": 6})

	// Webster gives both seats of 2 at 1:3 to the heavier cluster, so
	// member 1 loses its copy entirely.
	fw.Scale(t, ns, "web", 2)
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m2": 2})

	fw.Scale(t, ns, "web", 4)
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 1, "e2e-m2": 3})
}

func TestAffinityByLabelAndRegion(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "affinity")
	// Label one member, and undo it afterwards.
	c := &clusterv1alpha1.Cluster{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Name: "e2e-m2"}, c))
	patch := client.MergeFrom(c.DeepCopy())
	c.Labels = map[string]string{"tier": "gold"}
	require.NoError(t, cp.Patch(t.Context(), c, patch))
	t.Cleanup(func() {
		c := &clusterv1alpha1.Cluster{}
		if cp.Get(context.Background(), client.ObjectKey{Name: "e2e-m2"}, c) == nil {
			patch := client.MergeFrom(c.DeepCopy())
			c.Labels = nil
			_ = cp.Patch(context.Background(), c, patch)
		}
	})

	byLabel := framework.Policy(ns, "gold", nil, nil)
	byLabel.Spec.Placement.ClusterAffinity = &policyv1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "gold"}}}
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "gold", 1)))
	require.NoError(t, cp.Create(t.Context(), byLabel))

	byRegion := framework.Policy(ns, "europe", nil, nil)
	byRegion.Spec.Placement.ClusterAffinity = &policyv1alpha1.ClusterAffinity{
		ClusterNames: []string{"e2e-m1", "e2e-m2", "e2e-m3"},
		FieldSelector: &policyv1alpha1.FieldSelector{MatchExpressions: []policyv1alpha1.FieldSelectorRequirement{
			{Key: "region", Operator: corev1.NodeSelectorOpIn, Values: []string{"eu-west"}},
		}},
	}
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "europe", 1)))
	require.NoError(t, cp.Create(t.Context(), byRegion))

	fw.ExpectReplicas(t, ns, "gold", map[string]int32{"e2e-m2": 1})
	fw.ExpectReplicas(t, ns, "europe", map[string]int32{"e2e-m3": 1})
}

func TestDeletingTheTemplateRemovesCopies(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "deletion")
	dep := framework.Nginx(ns, "web", 1)
	require.NoError(t, cp.Create(t.Context(), dep))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m1", "e2e-m3"}, nil)))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 1, "e2e-m3": 1})

	require.NoError(t, cp.Delete(t.Context(), dep))
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		for member, c := range memberClients() {
			err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web"}, &appsv1.Deployment{})
			if !apierrors.IsNotFound(err) {
				return false, member + " still holds a copy"
			}
		}
		var works workv1alpha1.WorkList
		if err := cp.List(ctx, &works, client.MatchingLabels{names.BindingNamespaceLabel: ns}); err != nil {
			return false, err.Error()
		}
		err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web-deployment"}, &workv1alpha2.ResourceBinding{})
		return len(works.Items) == 0 && apierrors.IsNotFound(err), fmt.Sprintf("%d works left, binding: %v", len(works.Items), err)
	})
}

// TestConflictResolution checks Abort never takes over a member's own
// object of the same name, and says so, and Overwrite does.
func TestConflictResolution(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "conflict")
	framework.TestNamespace(t, m1, "conflict")
	theirs := framework.Nginx(ns, "web", 1)
	theirs.Spec.Template.Spec.Containers[0].Image = "their/image"
	theirs.Spec.Template.Spec.Containers = append(theirs.Spec.Template.Spec.Containers, corev1.Container{Name: "their-sidecar", Image: "busybox"})
	// nginx shares one map for labels and selector: give theirs its own.
	theirs.Labels = map[string]string{"app": "web", "owner": "them"}
	require.NoError(t, m1.Create(t.Context(), theirs))

	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	pp := framework.Policy(ns, "web", []string{"e2e-m1"}, nil)
	require.NoError(t, cp.Create(t.Context(), pp))

	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web-deployment"}, rb); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.FullyApplied)
		if c == nil || c.Status != metav1.ConditionFalse {
			return false, fmt.Sprintf("FullyApplied %+v", c)
		}
		return assert.ObjectsAreEqual(false, rb.Status.AggregatedStatus[0].Applied) &&
			strings.Contains(rb.Status.AggregatedStatus[0].AppliedMessage, "not managed by karmada"), rb.Status.AggregatedStatus[0].AppliedMessage
	})
	fw.ExpectEvent(t, ns, "web", "SyncFailed", "not managed by karmada")
	got := &appsv1.Deployment{}
	require.NoError(t, m1.Get(t.Context(), client.ObjectKeyFromObject(theirs), got))
	assert.Equal(t, "their/image", got.Spec.Template.Spec.Containers[0].Image, "Abort must leave their object alone")
	assert.Equal(t, int32(1), *got.Spec.Replicas)

	require.NoError(t, cp.Get(t.Context(), client.ObjectKeyFromObject(pp), pp))
	pp.Spec.ConflictResolution = policyv1alpha1.ConflictOverwrite
	require.NoError(t, cp.Update(t.Context(), pp))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2})
	require.NoError(t, m1.Get(t.Context(), client.ObjectKeyFromObject(theirs), got))
	assert.Equal(t, "true", got.Labels[names.ManagedByLabel])
	// Taken over, it is what the template says: their sidecar and label
	// are gone, not kept beside the template's fields.
	require.Len(t, got.Spec.Template.Spec.Containers, 1, "containers %+v", got.Spec.Template.Spec.Containers)
	assert.Equal(t, "nginx", got.Spec.Template.Spec.Containers[0].Image)
	assert.NotContains(t, got.Labels, "owner")
	fw.ExpectEventOn(t, names.ExecutionSpace("e2e-m1"), "Work", names.WorkName("Deployment", "web", ns), "TakeOverSucceed", "took over Deployment "+ns+"/web in cluster e2e-m1")
}

// TestOverridePolicy changes the copies on their way: another image
// registry in one member, an extra label in the other, chosen by the
// members' region and name.
func TestOverridePolicy(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "overrides")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m1", "e2e-m3"}, nil)))
	op := &policyv1alpha1.OverridePolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "web"},
		Spec: policyv1alpha1.OverrideSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}},
			OverrideRules: []policyv1alpha1.RuleWithCluster{
				{
					TargetCluster: &policyv1alpha1.ClusterAffinity{FieldSelector: &policyv1alpha1.FieldSelector{MatchExpressions: []policyv1alpha1.FieldSelectorRequirement{
						{Key: "region", Operator: corev1.NodeSelectorOpIn, Values: []string{"eu-west"}},
					}}},
					Overriders: policyv1alpha1.Overriders{ImageOverrider: []policyv1alpha1.ImageOverrider{
						{Component: policyv1alpha1.Registry, Operator: policyv1alpha1.OverriderOpAdd, Value: "eu.mirror.example"},
					}},
				},
				{
					TargetCluster: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m1"}},
					Overriders: policyv1alpha1.Overriders{LabelsOverrider: []policyv1alpha1.LabelAnnotationOverrider{
						{Operator: policyv1alpha1.OverriderOpAdd, Value: map[string]string{"site": "primary"}},
					}},
				},
			},
		},
	}
	// Created after the copies run, so the controllers must notice it.
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2, "e2e-m3": 2})
	require.NoError(t, cp.Create(t.Context(), op))

	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		d1, d3 := &appsv1.Deployment{}, &appsv1.Deployment{}
		if err := m1.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web"}, d1); err != nil {
			return false, err.Error()
		}
		if err := m3.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web"}, d3); err != nil {
			return false, err.Error()
		}
		img1, img3 := d1.Spec.Template.Spec.Containers[0].Image, d3.Spec.Template.Spec.Containers[0].Image
		return img1 == "nginx" && img3 == "eu.mirror.example/nginx" && d1.Labels["site"] == "primary" && d3.Labels["site"] == "",
			fmt.Sprintf("m1 %s %v, m3 %s %v", img1, d1.Labels, img3, d3.Labels)
	})
}

// TestCapacityAwareDivision runs the resource-aware modes on the members'
// real capacity (each has 8 cpu): Aggregated packs a small workload into
// one member, and a workload larger than all free capacity is
// Unschedulable, naming what each member can hold.
func TestCapacityAwareDivision(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "capacity")
	bigPods := func(name string, replicas int32) *appsv1.Deployment {
		d := framework.Nginx(ns, name, replicas)
		d.Spec.Template.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse("1")
		return d
	}
	members := []string{"e2e-m1", "e2e-m2"}
	aggregated := &policyv1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
		ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceAggregated,
	}
	require.NoError(t, cp.Create(t.Context(), bigPods("packed", 2)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "packed", members, aggregated)))
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "packed-deployment"}, rb); err != nil {
			return false, err.Error()
		}
		return len(rb.Spec.Clusters) == 1 && rb.Spec.Clusters[0].Replicas == 2, fmt.Sprintf("clusters %v", rb.Spec.Clusters)
	})

	dynamic := &policyv1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
		ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceWeighted,
		WeightPreference:          &policyv1alpha1.ClusterPreferences{DynamicWeight: policyv1alpha1.DynamicWeightByAvailableReplicas},
	}
	require.NoError(t, cp.Create(t.Context(), bigPods("huge", 100)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "huge", members, dynamic)))
	unschedulable(t, ns, "huge", func(rb *workv1alpha2.ResourceBinding) bool {
		c := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.Scheduled)
		return c.Status == metav1.ConditionFalse && strings.Contains(c.Message, "e2e-m1: ") && strings.Contains(c.Message, "e2e-m2: ") && len(rb.Spec.Clusters) == 0
	})
}

// TestNoClusterFits checks a placement nothing satisfies is reported on
// the binding and as an event on the template, and nothing is created.
func TestNoClusterFits(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "nofit")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 1)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"nowhere"}, nil)))
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web-deployment"}, rb); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.Scheduled)
		if c == nil {
			return false, "no Scheduled condition"
		}
		return c.Status == metav1.ConditionFalse && c.Reason == workv1alpha2.BindingReasonNoClusterFit &&
			strings.Contains(c.Message, "e2e-m1: ClusterAffinity"), c.Message
	})
	fw.ExpectEvent(t, ns, "web", "ScheduleBindingFailed", "no cluster fits")
	var works workv1alpha1.WorkList
	require.NoError(t, cp.List(t.Context(), &works, client.MatchingLabels{names.BindingNamespaceLabel: ns}))
	assert.Empty(t, works.Items)
}

// TestControllersResume kills the controllers mid-propagation, changes
// things while they are down, and checks that nothing is lost.
func TestControllersResume(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "resume")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 3)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m1", "e2e-m2", "e2e-m3"}, framework.Weights(map[string]int64{"e2e-m1": 1, "e2e-m2": 1, "e2e-m3": 1}))))
	// Kill them once the scheduler has placed the template, before the
	// members report it ready: in the middle of propagating.
	fw.Scheduled(t, ns, "web")
	stopControllers()
	tpl := &appsv1.Deployment{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web"}, tpl))
	require.Less(t, tpl.Status.ReadyReplicas, int32(3), "the kill landed after propagation had finished")

	fw.Scale(t, ns, "web", 6)
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "later", 1)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "later", []string{"e2e-m3"}, nil)))

	require.NoError(t, startControllers())
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2, "e2e-m2": 2, "e2e-m3": 2})
	fw.ExpectReplicas(t, ns, "later", map[string]int32{"e2e-m3": 1})
}

// TestWorkRefusesUndecodableManifests: a manifest no client could decode
// (no kind, a malformed apiVersion, metadata that is not an object) is
// refused by the Work API itself (embedded resources), so the execution
// controller never meets one; if it did, it would report ManifestInvalid
// once and wait for the Work to change.
func TestWorkRefusesUndecodableManifests(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "undecodable")
	for what, raw := range map[string]string{
		"no kind":            `{"apiVersion":"v1","metadata":{"name":"x","namespace":"default"}}`,
		"malformed version":  `{"apiVersion":"a/b/c","kind":"Thing","metadata":{"name":"x","namespace":"default"}}`,
		"metadata not a map": `{"apiVersion":"v1","kind":"ConfigMap","metadata":"x"}`,
	} {
		work := &workv1alpha1.Work{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "undecodable"}}
		work.Spec.Workload.Manifests = []workv1alpha1.Manifest{{RawExtension: runtime.RawExtension{Raw: []byte(raw)}}}
		err := cp.Create(t.Context(), work, client.DryRunAll)
		assert.True(t, apierrors.IsInvalid(err) || apierrors.IsBadRequest(err), "%s: want Invalid, got %v", what, err)
	}
}

// TestBindingStatusHasOneWriterPerField: the scheduler and the binding
// controller each apply only their own part of a binding's status, so
// neither writes the whole status (their writes never conflict) and the
// managed fields name who owns what.
func TestBindingStatusHasOneWriterPerField(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "owners")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m1", "e2e-m2"}, nil)))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2, "e2e-m2": 2})

	owners := map[string]string{}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web-deployment"}, rb); err != nil {
			return false, err.Error()
		}
		clear(owners)
		for _, m := range rb.ManagedFields {
			if m.Subresource != "status" || m.FieldsV1 == nil {
				continue
			}
			for _, field := range []string{`"f:aggregatedStatus"`, `"f:schedulingDecisions"`, `"k:{\"type\":\"Scheduled\"}"`, `"k:{\"type\":\"FullyApplied\"}"`} {
				if strings.Contains(m.FieldsV1.GetRawString(), field) {
					owners[field] += m.Manager + "/" + string(m.Operation) + " "
				}
			}
		}
		return len(owners) == 4, fmt.Sprint(owners)
	})
	assert.Equal(t, map[string]string{
		`"f:aggregatedStatus"`:            "binding-controller/Apply ",
		`"k:{\"type\":\"FullyApplied\"}"`: "binding-controller/Apply ",
		`"f:schedulingDecisions"`:         "karmada-scheduler/Apply ",
		`"k:{\"type\":\"Scheduled\"}"`:    "karmada-scheduler/Apply ",
	}, owners)
}
