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
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// expectSuspended waits until the Work of Deployment ns/name in cluster
// holds replicas in its manifest and says whether dispatching to the
// member is suspended, as Karmada's Dispatching condition does.
func expectSuspended(t *testing.T, ns, name, cluster string, replicas int64, suspended bool) {
	t.Helper()
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		w := &workv1alpha1.Work{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: names.ExecutionSpace(cluster), Name: names.WorkName("Deployment", name, ns)}, w); err != nil {
			return false, err.Error()
		}
		copy := &unstructured.Unstructured{}
		if err := copy.UnmarshalJSON(w.Spec.Workload.Manifests[0].Raw); err != nil {
			return false, err.Error()
		}
		got, _, _ := unstructured.NestedInt64(copy.Object, "spec", "replicas")
		c := meta.FindStatusCondition(w.Status.Conditions, workv1alpha1.WorkDispatching)
		want := map[bool]string{true: "SuspendDispatching", false: "Dispatching"}[suspended]
		return got == replicas && c != nil && c.Reason == want && c.ObservedGeneration == w.Generation,
			fmt.Sprintf("the Work asks for %d replicas, dispatching %+v", got, c)
	})
}

// TestSuspendedDispatchingKeepsTheMembersAsTheyAre: as in Karmada,
// suspension.dispatching stops updating the member copies (they keep
// running as they are) and dispatchingOnClusters does it for the named
// clusters; the Work and the binding say so; lifting it brings the
// members to the current template.
func TestSuspendedDispatchingKeepsTheMembersAsTheyAre(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "suspend")
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "web", 2)))
	policy := framework.Policy(ns, "web", []string{"e2e-m1", "e2e-m2"}, &policyv1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDuplicated})
	require.NoError(t, cp.Create(ctx, policy))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2, "e2e-m2": 2})
	suspend := func(s *policyv1alpha1.Suspension) {
		t.Helper()
		require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(policy), policy))
		policy.Spec.Suspension = s
		require.NoError(t, cp.Update(ctx, policy))
	}

	// Every member.
	suspend(&policyv1alpha1.Suspension{Dispatching: ptr.To(true)})
	fw.Scale(t, ns, "web", 3)
	expectSuspended(t, ns, "web", "e2e-m1", 3, true)
	expectSuspended(t, ns, "web", "e2e-m2", 3, true)
	fw.ExpectMemberReplicas(t, ns, "web", map[string]int32{"e2e-m1": 2, "e2e-m2": 2})
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName("Deployment", "web")}, rb); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.FullyApplied)
		return c != nil && c.Status == "False" && strings.Contains(c.Message, "suspended"), fmt.Sprintf("FullyApplied %+v", c)
	})
	fw.ExpectEventOn(t, names.ExecutionSpace("e2e-m1"), "Work", names.WorkName("Deployment", "web", ns), "WorkDispatching", "suspended")

	// One member: the other follows the template again.
	suspend(&policyv1alpha1.Suspension{DispatchingOnClusters: &policyv1alpha1.SuspendClusters{ClusterNames: []string{"e2e-m2"}}})
	expectSuspended(t, ns, "web", "e2e-m1", 3, false)
	expectSuspended(t, ns, "web", "e2e-m2", 3, true)
	fw.ExpectMemberReplicas(t, ns, "web", map[string]int32{"e2e-m1": 3, "e2e-m2": 2})

	// Lifted: from the current template.
	fw.Scale(t, ns, "web", 4)
	suspend(nil)
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 4, "e2e-m2": 4})
}
