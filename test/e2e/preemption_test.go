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

	"github.com/stretchr/testify/require"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// boundTo waits until the binding of Deployment ns/name names policy.
func boundTo(t *testing.T, ns, name, policy string) {
	t.Helper()
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName("Deployment", name)}, rb); err != nil {
			return false, err.Error()
		}
		got := rb.Annotations[names.PropagationPolicyNameAnnotation]
		return got == policy, fmt.Sprintf("%s is bound to %q", name, got)
	})
}

// TestPreemption: as in Karmada, a template stays with the policy that
// claimed it when a policy of higher priority comes (preemption Never,
// the default), and goes to one with preemption Always, which says so on
// the template.
func TestPreemption(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "preemption")
	policy := func(name string, priority int32, preemption policyv1alpha1.PreemptionBehavior, cluster string, templates ...string) {
		t.Helper()
		p := framework.Policy(ns, name, []string{cluster}, nil)
		p.Spec.ResourceSelectors = nil
		for _, tpl := range templates {
			p.Spec.ResourceSelectors = append(p.Spec.ResourceSelectors, policyv1alpha1.ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Name: tpl})
		}
		p.Spec.Priority, p.Spec.Preemption = ptr.To(priority), preemption
		require.NoError(t, cp.Create(ctx, p))
	}
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "web", 1)))
	policy("low", 1, policyv1alpha1.PreemptNever, "e2e-m1", "web")
	boundTo(t, ns, "web", "low")
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 1})

	// A higher priority without preemption: web stays. "marker", which
	// only high selects, shows the detector has seen high.
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "marker", 1)))
	policy("high", 5, policyv1alpha1.PreemptNever, "e2e-m2", "web", "marker")
	boundTo(t, ns, "marker", "high")
	boundTo(t, ns, "web", "low")

	// Preemption Always with a higher priority still: web moves.
	policy("top", 9, policyv1alpha1.PreemptAlways, "e2e-m3", "web")
	boundTo(t, ns, "web", "top")
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m3": 1})
	fw.ExpectEvent(t, ns, "web", "PreemptPolicySucceed", fmt.Sprintf("Propagation policy(%s/top) preempted propagation policy(%s/low) successfully", ns, ns))
}
