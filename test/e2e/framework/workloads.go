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

package framework

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// Env is a control plane and its members, as the checks below read them.
type Env struct {
	// CP is a client of the control plane.
	CP client.Client
	// Members are clients of the members, by Cluster name.
	Members map[string]client.Client
}

// Nginx is a Deployment template with a small CPU request.
func Nginx(ns, name string, replicas int32) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "nginx", Image: "nginx",
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}},
				}}},
			},
		},
	}
}

// Policy propagates Deployment name to clusters with the given scheduling.
func Policy(ns, name string, clusters []string, rs *policyv1alpha1.ReplicaSchedulingStrategy) *policyv1alpha1.PropagationPolicy {
	return &policyv1alpha1.PropagationPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Name: name}},
			Placement: policyv1alpha1.Placement{
				ClusterAffinity:   &policyv1alpha1.ClusterAffinity{ClusterNames: clusters},
				ReplicaScheduling: rs,
			},
		},
	}
}

// Weights divides replicas by a static weight per cluster.
func Weights(ws map[string]int64) *policyv1alpha1.ReplicaSchedulingStrategy {
	clusters := make([]string, 0, len(ws))
	for c := range ws {
		clusters = append(clusters, c)
	}
	sort.Strings(clusters)
	list := make([]policyv1alpha1.StaticClusterWeight, 0, len(clusters))
	for _, c := range clusters {
		list = append(list, policyv1alpha1.StaticClusterWeight{TargetCluster: policyv1alpha1.ClusterAffinity{ClusterNames: []string{c}}, Weight: ws[c]})
	}
	return &policyv1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
		ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceWeighted,
		WeightPreference:          &policyv1alpha1.ClusterPreferences{StaticWeightList: list},
	}
}

// ExpectReplicas waits until each member runs exactly the given ready
// replicas of ns/name (0 means no copy at all) and the template on the
// control plane reports their sum as ready.
func (e *Env) ExpectReplicas(t *testing.T, ns, name string, want map[string]int32) {
	t.Helper()
	var total int32
	for _, r := range want {
		total += r
	}
	Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		if ok, why := e.membersRun(ctx, ns, name, want); !ok {
			return false, why
		}
		tpl := &appsv1.Deployment{}
		if err := e.CP.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, tpl); err != nil {
			return false, err.Error()
		}
		if tpl.Status.ReadyReplicas != total || tpl.Status.Replicas != total || tpl.Status.ObservedGeneration != tpl.Generation {
			return false, fmt.Sprintf("template status %+v (generation %d), want %d ready", tpl.Status, tpl.Generation, total)
		}
		return true, ""
	})
}

// ExpectMemberReplicas waits until each member runs exactly the given
// ready replicas of ns/name, whatever the template says.
func (e *Env) ExpectMemberReplicas(t *testing.T, ns, name string, want map[string]int32) {
	t.Helper()
	Eventually(t, time.Minute, func(ctx context.Context) (bool, string) { return e.membersRun(ctx, ns, name, want) })
}

// membersRun reports whether each member runs exactly the given ready
// replicas of Deployment ns/name, and if not, why.
func (e *Env) membersRun(ctx context.Context, ns, name string, want map[string]int32) (bool, string) {
	for member, c := range e.Members {
		d := &appsv1.Deployment{}
		err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, d)
		switch {
		case apierrors.IsNotFound(err) && want[member] == 0:
			continue
		case err != nil:
			return false, fmt.Sprintf("%s: %v", member, err)
		case want[member] == 0:
			return false, fmt.Sprintf("%s still holds a copy", member)
		case *d.Spec.Replicas != want[member] || d.Status.ReadyReplicas != want[member]:
			return false, fmt.Sprintf("%s: spec %d, ready %d, want %d", member, *d.Spec.Replicas, d.Status.ReadyReplicas, want[member])
		}
	}
	return true, ""
}

// Scale sets the replicas of the Deployment template ns/name.
func (e *Env) Scale(t *testing.T, ns, name string, replicas int32) {
	t.Helper()
	d := &appsv1.Deployment{}
	require.NoError(t, e.CP.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: name}, d))
	patch := client.MergeFrom(d.DeepCopy())
	d.Spec.Replicas = ptr.To(replicas)
	require.NoError(t, e.CP.Patch(t.Context(), d, patch))
}

// ExpectEvent waits for an event about the Deployment template ns/name.
func (e *Env) ExpectEvent(t *testing.T, ns, name, reason, text string) {
	t.Helper()
	e.ExpectEventOn(t, ns, "Deployment", name, reason, text)
}

// ExpectEventOn waits for an event about an object of kind.
func (e *Env) ExpectEventOn(t *testing.T, ns, kind, name, reason, text string) {
	t.Helper()
	Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		var list eventsv1.EventList
		if err := e.CP.List(ctx, &list, client.InNamespace(ns)); err != nil {
			return false, err.Error()
		}
		for _, ev := range list.Items {
			if ev.Regarding.Kind == kind && ev.Regarding.Name == name && ev.Reason == reason && strings.Contains(ev.Note, text) {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d events, none %s about %s", len(list.Items), reason, name)
	})
}

// Scheduled waits until the binding of Deployment ns/name is scheduled
// and returns it.
func (e *Env) Scheduled(t *testing.T, ns, name string) *workv1alpha2.ResourceBinding {
	t.Helper()
	rb := &workv1alpha2.ResourceBinding{}
	Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		if err := e.CP.Get(ctx, client.ObjectKey{Namespace: ns, Name: name + "-deployment"}, rb); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.Scheduled)
		if c == nil || c.ObservedGeneration != rb.Generation || len(rb.Spec.Clusters) == 0 {
			return false, fmt.Sprintf("not scheduled yet: %v", rb.Status.Conditions)
		}
		return c.Status == "True", c.Message
	})
	return rb
}
