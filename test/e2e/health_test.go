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
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// clusterHealth is the Ready condition of a Cluster and whether it carries
// the not-ready taint.
func clusterHealth(ctx context.Context, name string) (metav1.ConditionStatus, bool, error) {
	c := &clusterv1alpha1.Cluster{}
	if err := cp.Get(ctx, client.ObjectKey{Name: name}, c); err != nil {
		return "", false, err
	}
	status := metav1.ConditionUnknown
	if cond := meta.FindStatusCondition(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady); cond != nil {
		status = cond.Status
	}
	tainted := false
	for _, t := range c.Spec.Taints {
		tainted = tainted || (t.Key == clusterv1alpha1.TaintClusterNotReady && t.Effect == corev1.TaintEffectNoSchedule)
	}
	return status, tainted, nil
}

// dedicatedMember starts and joins a member for one test, which may stop
// it without disturbing the others; it leaves and is deleted after.
func dedicatedMember(t *testing.T, opts localcluster.MemberOptions) (*localcluster.Cluster, client.Client) {
	t.Helper()
	member, err := env.StartMember(t.Context(), opts)
	require.NoError(t, err)
	members[opts.Name] = member
	t.Cleanup(func() {
		ctx := context.Background()
		_ = member.Start(ctx)
		_, _ = karmada(t, "unjoin", opts.Name, "--timeout", "30s")
		_ = env.Delete(ctx, opts.Name)
		delete(members, opts.Name)
	})
	require.NoError(t, joinMember(t.Context(), opts))
	c, err := client.New(member.Config, client.Options{Scheme: scheme})
	require.NoError(t, err)
	return member, c
}

// TestMemberGoesDownAndComesBack stops a member's processes: after the
// failure threshold it is not ready and tainted, and its workload and
// binding stay; when it comes back, the taint goes. It uses a member of its
// own, so stopping it disturbs no other test.
func TestMemberGoesDownAndComesBack(t *testing.T) {
	opts := localcluster.MemberOptions{Name: "e2e-m4", Region: "eu-west", Zone: "eu-west-1b", Nodes: 1, CPU: "4", Memory: "16Gi", Pods: "110"}
	member, m4 := dedicatedMember(t, opts)

	ns := framework.TestNamespace(t, cp, "health")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 1)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{opts.Name}, nil)))
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		d := &appsv1.Deployment{}
		if err := m4.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web"}, d); err != nil {
			return false, err.Error()
		}
		return d.Status.ReadyReplicas == 1, fmt.Sprintf("ready %d", d.Status.ReadyReplicas)
	})

	require.NoError(t, member.Stop(t.Context()))
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		status, tainted, err := clusterHealth(ctx, opts.Name)
		if err != nil {
			return false, err.Error()
		}
		return status == metav1.ConditionFalse && tainted, fmt.Sprintf("Ready=%s tainted=%t", status, tainted)
	})
	// Nothing is lost while it is down.
	rb := &workv1alpha2.ResourceBinding{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web-deployment"}, rb))
	require.Equal(t, []workv1alpha2.TargetCluster{{Name: opts.Name, Replicas: 1}}, rb.Spec.Clusters, "NoSchedule keeps what is placed")

	// New placements avoid it, and say why.
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "new", 1)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "new", []string{opts.Name, "e2e-m3"}, nil)))
	got := fw.Scheduled(t, ns, "new")
	assert.Equal(t, map[string]int32{"e2e-m3": 1}, placement(got))
	out, err := karmada(t, "-n", ns, "explain-placement", "deployment/new")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^e2e-m4\s+no\s+-\s+-\s+TaintToleration: taint cluster.karmada.io/not-ready:NoSchedule is not tolerated$`, out)

	require.NoError(t, member.Start(t.Context()))
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		status, tainted, err := clusterHealth(ctx, opts.Name)
		if err != nil {
			return false, err.Error()
		}
		return status == metav1.ConditionTrue && !tainted, fmt.Sprintf("Ready=%s tainted=%t", status, tainted)
	})
}

// TestClusterScopedTemplate propagates a Namespace with a
// ClusterPropagationPolicy through a ClusterResourceBinding.
func TestClusterScopedTemplate(t *testing.T) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shared-tools", Labels: map[string]string{"team": "tools"}}}
	require.NoError(t, cp.Create(t.Context(), ns))
	cpp := &policyv1alpha1.ClusterPropagationPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "shared-tools"},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Namespace", Name: "shared-tools"}},
			Placement:         policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m1", "e2e-m2"}}},
		},
	}
	require.NoError(t, cp.Create(t.Context(), cpp))
	t.Cleanup(func() {
		_ = cp.Delete(context.Background(), ns)
		_ = cp.Delete(context.Background(), cpp)
	})
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		crb := &workv1alpha2.ClusterResourceBinding{}
		if err := cp.Get(ctx, client.ObjectKey{Name: "shared-tools-namespace"}, crb); err != nil {
			return false, err.Error()
		}
		for _, c := range []client.Client{m1, m2} {
			got := &corev1.Namespace{}
			if err := c.Get(ctx, client.ObjectKey{Name: "shared-tools"}, got); err != nil {
				return false, err.Error()
			}
			if got.Labels["team"] != "tools" {
				return false, fmt.Sprintf("labels %v", got.Labels)
			}
		}
		return meta.IsStatusConditionTrue(crb.Status.Conditions, workv1alpha2.FullyApplied), fmt.Sprintf("conditions %v", crb.Status.Conditions)
	})

	// get bindings shows cluster bindings with every namespace, and by name.
	out, err := karmada(t, "get", "bindings", "-A")
	require.NoError(t, err)
	require.Regexp(t, `(?m)^-\s+shared-tools-namespace\s+Namespace/shared-tools\s+cpp/shared-tools\s+0\s+e2e-m1:0,e2e-m2:0\s+True\s+True\s`, out)
	out, err = karmada(t, "get", "bindings", "shared-tools-namespace", "-o", "yaml")
	require.NoError(t, err)
	require.Contains(t, out, "kind: ClusterResourceBinding")
}
