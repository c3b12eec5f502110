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
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// claimedBy waits until template ns/name carries the claim of policy (""
// for none: no annotation or label of any policy left, on it or on its
// binding, if it has one) and returns its binding.
func claimedBy(t *testing.T, ns, name, policy string) *workv1alpha2.ResourceBinding {
	t.Helper()
	rb := &workv1alpha2.ResourceBinding{}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		d := &appsv1.Deployment{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, d); err != nil {
			return false, err.Error()
		}
		err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName("Deployment", name)}, rb)
		if policy == "" && apierrors.IsNotFound(err) {
			return len(claims(d.Annotations))+len(claims(d.Labels)) == 0, "never bound, yet claimed"
		}
		if err != nil {
			return false, err.Error()
		}
		if policy == "" {
			left := append(claims(d.Annotations), claims(d.Labels)...)
			left = append(left, append(claims(rb.Annotations), claims(rb.Labels)...)...)
			return len(left) == 0, fmt.Sprintf("%s still claimed: %v", name, left)
		}
		return d.Annotations[names.PropagationPolicyNameAnnotation] == policy && d.Labels[names.PropagationPolicyPermanentIDLabel] != "" &&
				rb.Annotations[names.PropagationPolicyNameAnnotation] == policy,
			fmt.Sprintf("%s claimed by %q, binding by %q", name, d.Annotations[names.PropagationPolicyNameAnnotation], rb.Annotations[names.PropagationPolicyNameAnnotation])
	})
	return rb
}

// claims are the keys of a policy's claim among labels or annotations.
func claims(m map[string]string) []string {
	var out []string
	for k := range m {
		if strings.Contains(k, "propagationpolicy.karmada.io/") {
			out = append(out, k)
		}
	}
	return out
}

// TestPolicyEditsAsKarmada: editing a policy's resource selectors picks
// up the templates it now selects and lets go of those it no longer does;
// as in Karmada, a template let go loses the policy's claim (annotations
// and permanent-id label, on it and on its binding) but keeps its binding
// and its member copies, so replacing a policy moves nothing; a template
// let go is taken by a policy created for it; deleting a policy is
// letting go of all it held; deleting the binding removes the copies; a
// policy name longer than a label value (63) works, since only
// annotations carry it.
func TestPolicyEditsAsKarmada(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "edits")
	for _, name := range []string{"a", "b"} {
		require.NoError(t, cp.Create(ctx, framework.Nginx(ns, name, 1)))
	}
	long := "a-policy-whose-name-is-longer-than-any-label-value-may-be-" + strings.Repeat("x", 20)
	require.Greater(t, len(long), 63)
	p := framework.Policy(ns, long, []string{"e2e-m1"}, nil)
	p.Spec.ResourceSelectors = []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Name: "a"}}
	require.NoError(t, cp.Create(ctx, p))
	claimedBy(t, ns, "a", long)
	claimedBy(t, ns, "b", "")
	fw.ExpectReplicas(t, ns, "a", map[string]int32{"e2e-m1": 1})

	edit := func(selectors ...string) {
		t.Helper()
		require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(p), p))
		p.Spec.ResourceSelectors = nil
		for _, s := range selectors {
			p.Spec.ResourceSelectors = append(p.Spec.ResourceSelectors, policyv1alpha1.ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Name: s})
		}
		require.NoError(t, cp.Update(ctx, p))
	}
	t.Log("an item added")
	edit("a", "b")
	claimedBy(t, ns, "b", long)
	fw.ExpectReplicas(t, ns, "b", map[string]int32{"e2e-m1": 1})

	t.Log("an item removed: its template is let go, its copies stay")
	edit("b")
	claimedBy(t, ns, "a", "")
	fw.ExpectEvent(t, ns, "a", "Unclaimed", "No policy selects it any more (it was "+long+")")
	fw.ExpectReplicas(t, ns, "a", map[string]int32{"e2e-m1": 1})

	t.Log("an item changed")
	edit("a")
	claimedBy(t, ns, "a", long)
	claimedBy(t, ns, "b", "")

	t.Log("a template let go is taken by another policy")
	other := framework.Policy(ns, "for-b", []string{"e2e-m2"}, nil)
	other.Spec.ResourceSelectors = []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Name: "b"}}
	require.NoError(t, cp.Create(ctx, other))
	claimedBy(t, ns, "b", "for-b")
	fw.ExpectReplicas(t, ns, "b", map[string]int32{"e2e-m2": 1})

	t.Log("a policy deleted: its claim leaves its templates, their copies stay")
	require.NoError(t, cp.Delete(ctx, p))
	rb := claimedBy(t, ns, "a", "")
	fw.ExpectReplicas(t, ns, "a", map[string]int32{"e2e-m1": 1})

	t.Log("a policy replacing it takes it where both place it without moving it")
	replacement := framework.Policy(ns, "replacement", []string{"e2e-m1"}, nil)
	replacement.Spec.ResourceSelectors = []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Name: "a"}}
	require.NoError(t, cp.Create(ctx, replacement))
	again := claimedBy(t, ns, "a", "replacement")
	assert.Equal(t, rb.UID, again.UID, "the same binding")
	fw.ExpectReplicas(t, ns, "a", map[string]int32{"e2e-m1": 1})

	t.Log("deleting the binding of a template let go removes its copies")
	require.NoError(t, cp.Delete(ctx, replacement))
	claimedBy(t, ns, "a", "")
	require.NoError(t, cp.Delete(ctx, &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: names.BindingName("Deployment", "a")}}))
	fw.ExpectMemberReplicas(t, ns, "a", map[string]int32{})
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "a"}, &appsv1.Deployment{}), "the template stays")
	framework.Eventually(t, 10*time.Second, func(ctx context.Context) (bool, string) {
		err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName("Deployment", "a")}, &workv1alpha2.ResourceBinding{})
		return apierrors.IsNotFound(err), fmt.Sprintf("the binding is made again: %v", err)
	})
}
