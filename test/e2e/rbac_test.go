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

	"github.com/stretchr/testify/require"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestRBACKindsNeedAGrant: Roles and RoleBindings propagate to a member
// whose identity was granted them at join (join --grant), and where it
// was not, the binding and the template say why and what to do.
func TestRBACKindsNeedAGrant(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "rbac")
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "reader"},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "list"}}}}
	require.NoError(t, cp.Create(ctx, role))
	p := framework.Policy(ns, "reader", []string{"e2e-m1"}, nil)
	p.Spec.ResourceSelectors = []policyv1alpha1.ResourceSelector{{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "Role", Name: "reader"}}
	require.NoError(t, cp.Create(ctx, p))

	want := "join e2e-m1 again with --grant rbac.authorization.k8s.io/roles"
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName("Role", "reader")}, rb); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.FullyApplied)
		if c == nil {
			return false, "no FullyApplied yet"
		}
		return c.Status == metav1.ConditionFalse && strings.Contains(c.Message, want), fmt.Sprintf("FullyApplied %s: %s", c.Status, c.Message)
	})
	fw.ExpectEventOn(t, ns, "Role", "reader", "SyncFailed", want)

	t.Log("granted at join: it propagates")
	out, err := karmada(t, "join", "e2e-m1", "--cluster-kubeconfig", members["e2e-m1"].Kubeconfig, "--cluster-region", "us-east", "--cluster-zones", "us-east-1a",
		"--grant", "rbac.authorization.k8s.io/roles")
	require.NoError(t, err, out)
	t.Cleanup(func() {
		// The other tests expect the narrow identity.
		_, _ = karmada(t, "join", "e2e-m1", "--cluster-kubeconfig", members["e2e-m1"].Kubeconfig, "--cluster-region", "us-east", "--cluster-zones", "us-east-1a")
	})
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		got := &rbacv1.Role{}
		err := m1.Get(ctx, client.ObjectKeyFromObject(role), got)
		return err == nil && len(got.Rules) == 1, fmt.Sprintf("the Role in e2e-m1: %v", err)
	})

	t.Log("joined again without it: the grant is taken back")
	out, err = karmada(t, "join", "e2e-m1", "--cluster-kubeconfig", members["e2e-m1"].Kubeconfig, "--cluster-region", "us-east", "--cluster-zones", "us-east-1a")
	require.NoError(t, err, out)
	require.Contains(t, out, "its member identity now holds workloads only")
	out, err = karmada(t, "join", "e2e-m1", "--cluster-kubeconfig", members["e2e-m1"].Kubeconfig, "--cluster-region", "us-east", "--cluster-zones", "us-east-1a")
	require.NoError(t, err, out)
	require.Contains(t, out, "already joined; nothing changed")
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(role), role))
	role.Rules[0].Verbs = append(role.Rules[0].Verbs, "watch")
	require.NoError(t, cp.Update(ctx, role))
	fw.ExpectEventOn(t, ns, "Role", "reader", "SyncFailed", "applying Role reader")
}
