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
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// binding returns the binding of Deployment ns/name once check says "".
func binding(t *testing.T, ns, name string, check func(rb *workv1alpha2.ResourceBinding) string) *workv1alpha2.ResourceBinding {
	t.Helper()
	rb := &workv1alpha2.ResourceBinding{}
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName("Deployment", name)}, rb); err != nil {
			return false, err.Error()
		}
		why := check(rb)
		return why == "", why
	})
	return rb
}

// copyIn reports whether member c holds Deployment ns/name.
func copyIn(ctx context.Context, c client.Client, ns, name string) (bool, error) {
	err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &appsv1.Deployment{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// TestClusterFailover: as Karmada's taint-based failover does, a NoExecute
// taint the policy tolerates for tolerationSeconds takes the workload off
// the cluster once they run out: the new placement first, with a graceful
// eviction task on the binding; the old copy goes once the workload is
// healthy elsewhere (purgeMode Gracefully) or stays (Never). The cluster,
// once untainted, gets no replicas of the divided workload back until the
// policy changes; explain-placement says why.
func TestClusterFailover(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "failover")
	t.Cleanup(func() { _, _ = karmada(t, "taint", "e2e-m2", "outage-") })
	policy := func(name string, purge policyv1alpha1.PurgeMode) *policyv1alpha1.PropagationPolicy {
		require.NoError(t, cp.Create(ctx, framework.Nginx(ns, name, 4)))
		p := framework.Policy(ns, name, []string{"e2e-m1", "e2e-m2"}, framework.Weights(map[string]int64{"e2e-m1": 1, "e2e-m2": 1}))
		p.Spec.Placement.ClusterTolerations = []corev1.Toleration{{Key: "outage", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](5)}}
		p.Spec.Failover = &policyv1alpha1.FailoverBehavior{Cluster: &policyv1alpha1.ClusterFailoverBehavior{PurgeMode: purge}}
		require.NoError(t, cp.Create(ctx, p))
		fw.ExpectReplicas(t, ns, name, map[string]int32{"e2e-m1": 2, "e2e-m2": 2})
		return p
	}
	web := policy("web", policyv1alpha1.PurgeGracefully)
	policy("keep", policyv1alpha1.PurgeNever)

	tainted := time.Now()
	_, err := karmada(t, "taint", "e2e-m2", "outage:NoExecute")
	require.NoError(t, err)
	rb := binding(t, ns, "web", func(rb *workv1alpha2.ResourceBinding) string {
		if len(rb.Spec.GracefulEvictionTasks) == 0 && placement(rb)["e2e-m1"] == 4 {
			return "" // evicted, and already done
		}
		return fmt.Sprintf("placement %v, tasks %v", placement(rb), rb.Spec.GracefulEvictionTasks)
	})
	assert.GreaterOrEqual(t, time.Since(tainted), 5*time.Second, "tolerated for its 5 seconds first")
	assert.Equal(t, map[string]int32{"e2e-m1": 4}, placement(rb))
	fw.ExpectEvent(t, ns, "web", "EvictWorkloadFromClusterSucceed", "Evict from cluster e2e-m2 succeed: taint outage:NoExecute is not tolerated")
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 4})

	t.Log("purgeMode Never: the old copy and the task stay")
	binding(t, ns, "keep", func(rb *workv1alpha2.ResourceBinding) string {
		if len(rb.Spec.GracefulEvictionTasks) == 1 && rb.Spec.GracefulEvictionTasks[0].FromCluster == "e2e-m2" &&
			rb.Spec.GracefulEvictionTasks[0].PurgeMode == policyv1alpha1.PurgeNever && placement(rb)["e2e-m1"] == 4 {
			return ""
		}
		return fmt.Sprintf("placement %v, tasks %v", placement(rb), rb.Spec.GracefulEvictionTasks)
	})
	time.Sleep(3 * time.Second) // what a Gracefully task would have needed
	there, err := copyIn(ctx, m2, ns, "keep")
	require.NoError(t, err)
	assert.True(t, there, "purgeMode Never keeps the old copy")
	out, err := karmada(t, "-n", ns, "explain-placement", "deployment/keep")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^Evictions \(failover\):\n.*\ne2e-m2\s+2\s+TaintUntolerated\s+Never\s+\S+\s+taint outage:NoExecute is not tolerated$`, out)

	t.Log("the cluster recovers: the divided workload does not come back")
	_, err = karmada(t, "taint", "e2e-m2", "outage-")
	require.NoError(t, err)
	time.Sleep(5 * time.Second)
	rb = binding(t, ns, "web", func(*workv1alpha2.ResourceBinding) string { return "" })
	assert.Equal(t, map[string]int32{"e2e-m1": 4}, placement(rb))
	out, err = karmada(t, "-n", ns, "explain-placement", "deployment/web")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^e2e-m2\s+no\s+-\s+-\s+Eviction: the workload was evicted from it \(failover\)`, out)

	t.Log("the policy changes: it may")
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(web), web))
	web.Spec.Placement.ReplicaScheduling = framework.Weights(map[string]int64{"e2e-m1": 1, "e2e-m2": 3})
	require.NoError(t, cp.Update(ctx, web))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 1, "e2e-m2": 3})
}

// TestApplicationFailover: as Karmada's application failover does, a
// workload that stays unhealthy in a cluster longer than
// decisionConditions.tolerationSeconds leaves it (a graceful eviction
// task, the new placement elsewhere) and its old copy goes once it is
// healthy where it went.
func TestApplicationFailover(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "appfailover")
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "app", 2)))
	p := framework.Policy(ns, "app", []string{"e2e-m1", "e2e-m3"}, framework.Weights(map[string]int64{"e2e-m1": 1, "e2e-m3": 1}))
	p.Spec.Failover = &policyv1alpha1.FailoverBehavior{Application: &policyv1alpha1.ApplicationFailoverBehavior{
		DecisionConditions: policyv1alpha1.DecisionConditions{TolerationSeconds: ptr.To[int32](5)},
		PurgeMode:          policyv1alpha1.PurgeGracefully, GracePeriodSeconds: ptr.To[int32](60),
	}}
	// Its pods cannot run in e2e-m3: no node there has this label.
	op := &policyv1alpha1.OverridePolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "broken-in-m3"}, Spec: policyv1alpha1.OverrideSpec{
		ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Name: "app"}},
		OverrideRules: []policyv1alpha1.RuleWithCluster{{
			TargetCluster: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m3"}},
			Overriders: policyv1alpha1.Overriders{Plaintext: []policyv1alpha1.PlaintextOverrider{{
				Path: "/spec/template/spec/nodeSelector", Operator: policyv1alpha1.OverriderOpAdd,
				Value: apiextensionsv1.JSON{Raw: []byte(`{"no-such-node": "true"}`)},
			}}},
		}},
	}}
	require.NoError(t, cp.Create(ctx, op))
	require.NoError(t, cp.Create(ctx, p))

	rb := binding(t, ns, "app", func(rb *workv1alpha2.ResourceBinding) string {
		if placement(rb)["e2e-m1"] == 2 && len(placement(rb)) == 1 {
			return ""
		}
		return fmt.Sprintf("placement %v, tasks %v", placement(rb), rb.Spec.GracefulEvictionTasks)
	})
	fw.ExpectEventOn(t, ns, "ResourceBinding", rb.Name, "EvictWorkloadFromClusterSucceed", "Evict from cluster e2e-m3 succeed: the application was unhealthy there for longer than 5s")
	fw.ExpectReplicas(t, ns, "app", map[string]int32{"e2e-m1": 2})
	binding(t, ns, "app", func(rb *workv1alpha2.ResourceBinding) string {
		if len(rb.Spec.GracefulEvictionTasks) == 0 {
			return ""
		}
		return fmt.Sprintf("tasks %v", rb.Spec.GracefulEvictionTasks)
	})
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		there, err := copyIn(ctx, m3, ns, "app")
		return err == nil && !there, fmt.Sprintf("the old copy in e2e-m3: %v %v", there, err)
	})
}
