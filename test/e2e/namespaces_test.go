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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/execution"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/namespacesync"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// expectNamespace waits until a member has namespace ns (present) or has
// it no more, or only terminating (!present).
func expectNamespace(t *testing.T, member, ns string, present bool) *corev1.Namespace {
	t.Helper()
	got := &corev1.Namespace{}
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		err := memberClients()[member].Get(ctx, client.ObjectKey{Name: ns}, got)
		switch {
		case client.IgnoreNotFound(err) != nil:
			return false, err.Error()
		case present:
			return err == nil && got.DeletionTimestamp.IsZero(), fmt.Sprintf("namespace %s in %s: %v", ns, member, err)
		default:
			return err != nil || !got.DeletionTimestamp.IsZero(), fmt.Sprintf("namespace %s is still in %s", ns, member)
		}
	})
	return got
}

// TestNamespacesFollowTheControlPlane: as in Karmada, a namespace created
// on the control plane appears in every member, with the
// ClusterOverridePolicies that select it, and goes when it goes; skipped
// ones never appear. Unlike Karmada, a member's own namespace of that name
// is adopted rather than refused, and stays when ours goes.
func TestNamespacesFollowTheControlPlane(t *testing.T) {
	ctx := t.Context()
	all := []string{"e2e-m1", "e2e-m2", "e2e-m3"}
	require.NoError(t, m1.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ns-adopted", Labels: map[string]string{"owner": "team"}}}))
	t.Cleanup(func() {
		_ = m1.Delete(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ns-adopted"}})
	})
	cop := &policyv1alpha1.ClusterOverridePolicy{ObjectMeta: metav1.ObjectMeta{Name: "ns-region"}, Spec: policyv1alpha1.OverrideSpec{
		ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Namespace", Name: "ns-provisioned"}},
		OverrideRules: []policyv1alpha1.RuleWithCluster{{
			TargetCluster: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m2"}},
			Overriders: policyv1alpha1.Overriders{LabelsOverrider: []policyv1alpha1.LabelAnnotationOverrider{{
				Operator: policyv1alpha1.OverriderOpAdd, Value: map[string]string{"region": "eu"}}}},
		}},
	}}
	require.NoError(t, cp.Create(ctx, cop))
	t.Cleanup(func() { _ = cp.Delete(context.Background(), cop) })

	require.NoError(t, cp.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ns-skipped", Labels: map[string]string{namespacesync.SkipLabel: "true"}}}))
	t.Cleanup(func() {
		_ = cp.Delete(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ns-skipped"}})
	})
	framework.TestNamespace(t, cp, "kube-e2e")
	provisioned := framework.TestNamespace(t, cp, "ns-provisioned")
	adopted := framework.TestNamespace(t, cp, "ns-adopted")

	for _, m := range all {
		ns := expectNamespace(t, m, provisioned, true)
		assert.Equal(t, map[bool]string{true: "eu"}[m == "e2e-m2"], ns.Labels["region"], "the override is e2e-m2's only")
		assert.Equal(t, "true", ns.Labels[names.ManagedByLabel], m)
		expectNamespace(t, m, adopted, true)
	}
	own := expectNamespace(t, "e2e-m1", adopted, true)
	assert.Equal(t, "team", own.Labels["owner"], "the member's own labels stay")
	assert.Equal(t, "true", own.Annotations[execution.AdoptedAnnotation])
	// The skipped ones were created first, and are in no member.
	for _, m := range all {
		for _, ns := range []string{"ns-skipped", "kube-e2e"} {
			err := memberClients()[m].Get(ctx, client.ObjectKey{Name: ns}, &corev1.Namespace{})
			assert.True(t, apierrors.IsNotFound(err), "%s in %s: %v", ns, m, err)
		}
	}

	// Gone from the control plane: gone from the members, but for the
	// member's own, given back as it was.
	require.NoError(t, cp.Delete(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: provisioned}}))
	require.NoError(t, cp.Delete(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: adopted}}))
	for _, m := range all {
		expectNamespace(t, m, provisioned, false)
		if m != "e2e-m1" {
			expectNamespace(t, m, adopted, false)
		}
	}
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		ns := &corev1.Namespace{}
		if err := m1.Get(ctx, client.ObjectKey{Name: adopted}, ns); err != nil {
			return false, err.Error()
		}
		_, marked := ns.Annotations[execution.AdoptedAnnotation]
		return ns.DeletionTimestamp.IsZero() && ns.Labels[names.ManagedByLabel] == "" && !marked && ns.Labels["owner"] == "team",
			fmt.Sprintf("labels %v, annotations %v", ns.Labels, ns.Annotations)
	})
}

// TestPodTemplateNeedsNoServiceAccount: as in Karmada, the control plane
// takes a Pod template in a namespace without ServiceAccounts; the member
// fills in its own default.
func TestPodTemplateNeedsNoServiceAccount(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "podtemplate")
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "solo"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}}
	require.NoError(t, cp.Create(ctx, pod), "no ServiceAccount exists on the control plane")
	assert.Empty(t, pod.Spec.ServiceAccountName, "the control plane fills in nothing")
	require.NoError(t, cp.Create(ctx, &policyv1alpha1.PropagationPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "solo"},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Pod", Name: "solo"}},
			Placement:         policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m1"}}},
		}}))
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		copy := &corev1.Pod{}
		if err := m1.Get(ctx, client.ObjectKeyFromObject(pod), copy); err != nil {
			return false, err.Error()
		}
		return copy.Spec.ServiceAccountName == "default", "service account " + copy.Spec.ServiceAccountName
	})
}
