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
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// cpuHeavy is nginx with replicas asking for whole cpus, so the members'
// capacity (8 cpu in e2e-m1 and e2e-m2, 16 in e2e-m3) decides.
func cpuHeavy(ns, name string, replicas int32, cpu string) *appsv1.Deployment {
	d := framework.Nginx(ns, name, replicas)
	d.Spec.Template.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse(cpu)
	return d
}

func placement(rb *workv1alpha2.ResourceBinding) map[string]int32 {
	out := map[string]int32{}
	for _, c := range rb.Spec.Clusters {
		out[c.Name] = c.Replicas
	}
	return out
}

// available returns what the scheduler recorded each cluster could hold.
func available(t *testing.T, rb *workv1alpha2.ResourceBinding) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, d := range rb.Status.SchedulingDecisions {
		if d.AvailableReplicas != nil {
			out[d.Cluster] = *d.AvailableReplicas
		}
	}
	return out
}

// TestDynamicWeightFollowsFreeCapacity: replicas asking for 2 cpu each
// split in proportion to what each member can hold (e2e-m3 has twice the
// cpu), and explain-placement shows each member's figures. Other tests'
// workloads come and go on the same members, so the proportion is checked
// against the free capacity the scheduler saw, which it records.
func TestDynamicWeightFollowsFreeCapacity(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "dynamic")
	require.NoError(t, cp.Create(t.Context(), cpuHeavy(ns, "web", 6, "2")))
	_, err := karmada(t, "-n", ns, "propagate", "deployment/web", "--clusters", "e2e-m1,e2e-m3", "--dynamic-weight")
	require.NoError(t, err)
	rb := fw.Scheduled(t, ns, "web")
	got, free := placement(rb), available(t, rb)
	assert.Equal(t, int32(6), got["e2e-m1"]+got["e2e-m3"], "%v", got)
	require.Positive(t, free["e2e-m1"]+free["e2e-m3"])
	for _, m := range []string{"e2e-m1", "e2e-m3"} {
		share := 6 * float64(free[m]) / float64(free["e2e-m1"]+free["e2e-m3"])
		assert.InDelta(t, share, float64(got[m]), 1, "%s: %d replicas for %d of %v free", m, got[m], free[m], free)
	}

	out, err := karmada(t, "-n", ns, "explain-placement", "deployment/web")
	require.NoError(t, err)
	assert.Contains(t, out, "6 replicas, Dynamic weight")
	assert.Regexp(t, fmt.Sprintf(`(?m)^e2e-m3\s+yes\s+%d\s+%d\s+-$`, got["e2e-m3"], free["e2e-m3"]), out)
	assert.Regexp(t, `(?m)^e2e-m2\s+no\s+-\s+-\s+ClusterAffinity: not selected`, out)

	out, err = karmada(t, "-n", ns, "get", "bindings", "-o", "wide")
	require.NoError(t, err)
	assert.Contains(t, out, "e2e-m2(ClusterAffinity)")
}

// TestAggregatedFillsTheFullestFirst: a workload that fits in one member
// goes whole into the one with most free capacity.
func TestAggregatedFillsTheFullestFirst(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "aggregated")
	require.NoError(t, cp.Create(t.Context(), cpuHeavy(ns, "web", 3, "2")))
	_, err := karmada(t, "-n", ns, "propagate", "deployment/web", "--aggregated")
	require.NoError(t, err)
	rb := fw.Scheduled(t, ns, "web")
	free, got := available(t, rb), placement(rb)
	require.Len(t, got, 1, "one member holds it all: %v", got)
	var chosen string
	var most int64
	for m := range got {
		chosen = m
	}
	for _, n := range free {
		most = max(most, n)
	}
	require.GreaterOrEqual(t, most, int64(3), "%v", free)
	// Other tests' workloads come and go: two members may tie.
	assert.Equal(t, most, free[chosen], "%s is not the fullest: %v", chosen, free)
	assert.Equal(t, int32(3), got[chosen])
	fw.ExpectReplicas(t, ns, "web", map[string]int32{chosen: 3})
}

// unschedulable waits until the binding of Deployment ns/name says it is
// Unschedulable and check holds.
func unschedulable(t *testing.T, ns, name string, check func(rb *workv1alpha2.ResourceBinding) bool) *workv1alpha2.ResourceBinding {
	t.Helper()
	return binding(t, ns, name, func(rb *workv1alpha2.ResourceBinding) string {
		c := meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.Scheduled)
		if c == nil {
			return "no Scheduled condition"
		}
		if c.Reason == workv1alpha2.BindingReasonUnschedulable && check(rb) {
			return ""
		}
		return fmt.Sprintf("%s: %s; decisions %v", c.Reason, c.Message, rb.Status.SchedulingDecisions)
	})
}

// TestUnschedulableIsExplained: more than all free capacity stays
// unscheduled, and the explanation names each member's limit.
func TestUnschedulableIsExplained(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "toolarge")
	require.NoError(t, cp.Create(t.Context(), cpuHeavy(ns, "web", 40, "1")))
	_, err := karmada(t, "-n", ns, "propagate", "deployment/web", "--dynamic-weight")
	require.NoError(t, err)
	unschedulable(t, ns, "web", func(rb *workv1alpha2.ResourceBinding) bool { return len(rb.Status.SchedulingDecisions) >= 3 })
	out, err := karmada(t, "-n", ns, "explain-placement", "deployment/web")
	require.NoError(t, err)
	assert.Contains(t, out, "Scheduled: False (Unschedulable)")
	for _, m := range []string{"e2e-m1", "e2e-m2", "e2e-m3"} {
		assert.Regexp(t, `(?m)^`+m+`\s+no\s+-\s+\d+\s+can hold \d+ more$`, out)
	}
}

// TestSpreadByRegion: two replicas spread over at least two regions land
// one in us-east and one in eu-west; a what-if with three regions says why
// it cannot be.
func TestSpreadByRegion(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "spread")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	_, err := karmada(t, "-n", ns, "propagate", "deployment/web", "--divided", "--spread-by", "region", "--min-groups", "2")
	require.NoError(t, err)
	got := placement(fw.Scheduled(t, ns, "web"))
	assert.Equal(t, int32(1), got["e2e-m3"], "eu-west: %v", got)
	assert.Equal(t, int32(1), got["e2e-m1"]+got["e2e-m2"], "us-east: %v", got)

	// What if it asked for three regions? Nothing is written.
	out, err := karmada(t, "-n", ns, "propagate", "deployment/web", "--divided", "--spread-by", "region", "--min-groups", "3", "--dry-run=client", "-o", "yaml")
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "policy.yaml")
	require.NoError(t, os.WriteFile(file, []byte(out), 0o600))
	out, err = karmada(t, "-n", ns, "explain-placement", "deployment/web", "-f", file)
	require.NoError(t, err)
	assert.Contains(t, out, "Would schedule (dry run): False (NoClusterFit)")
	assert.Contains(t, out, "spreading by region needs at least 3 groups, the clusters that fit are in 2")
	assert.Equal(t, got, placement(fw.Scheduled(t, ns, "web")), "a dry run changes nothing")
}

// TestExplainPolicyFileSelectsAsTheDetector: a what-if with a policy file
// picks the template by the same rule the detector uses (labels and the
// policy's namespace count), so a file that would never select it says so
// instead of explaining a placement that cannot happen.
func TestExplainPolicyFileSelectsAsTheDetector(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "whatif")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	try := func(name, namespace string, labels map[string]string, extra ...string) (string, error) {
		p := framework.Policy(namespace, name, []string{"e2e-m1", "e2e-m2"}, nil)
		p.TypeMeta = metav1.TypeMeta{APIVersion: policyv1alpha1.GroupVersion.String(), Kind: "PropagationPolicy"}
		p.Spec.ResourceSelectors = []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment",
			LabelSelector: &metav1.LabelSelector{MatchLabels: labels}}}
		data, err := yaml.Marshal(p)
		require.NoError(t, err)
		file := filepath.Join(t.TempDir(), name+".yaml")
		require.NoError(t, os.WriteFile(file, data, 0o600))
		return karmada(t, append([]string{"-n", ns, "explain-placement", "deployment/web", "-f", file}, extra...)...)
	}
	out, err := try("by-label", ns, map[string]string{"app": "web"})
	require.NoError(t, err, out)
	assert.Contains(t, out, "Would schedule (dry run): True")
	assert.Regexp(t, `(?m)^e2e-m1\s+yes\s`, out)
	// kubectl's printers: a script reads the chosen clusters with jsonpath.
	out, err = try("by-label", ns, map[string]string{"app": "web"}, "-o", "jsonpath={.decisions[?(@.selected==true)].cluster}")
	require.NoError(t, err, out)
	assert.Equal(t, "e2e-m1 e2e-m2", out)
	out, err = try("by-label", ns, map[string]string{"app": "web"}, "-o", "yaml")
	require.NoError(t, err, out)
	assert.Contains(t, out, "kind: PlacementExplanation\n")

	_, err = try("other-labels", ns, map[string]string{"app": "api"})
	require.ErrorContains(t, err, "does not select")
	_, err = try("other-namespace", "elsewhere", map[string]string{"app": "web"})
	require.ErrorContains(t, err, "does not select")
}

// TestClusterLabelsMoveWorkloads: as Karmada reschedules, a workload leaves
// a cluster whose labels stop matching its placement, and arrives at one
// whose labels start to.
func TestClusterLabelsMoveWorkloads(t *testing.T) {
	ctx := t.Context()
	label := func(cluster, value string) {
		t.Helper()
		c := &clusterv1alpha1.Cluster{}
		require.NoError(t, cp.Get(ctx, client.ObjectKey{Name: cluster}, c))
		patch := client.MergeFrom(c.DeepCopy())
		if value == "" {
			delete(c.Labels, "e2e-tier")
		} else {
			if c.Labels == nil {
				c.Labels = map[string]string{}
			}
			c.Labels["e2e-tier"] = value
		}
		require.NoError(t, cp.Patch(ctx, c, patch))
	}
	t.Cleanup(func() {
		for _, c := range []string{"e2e-m1", "e2e-m2"} {
			cl := &clusterv1alpha1.Cluster{}
			if cp.Get(context.Background(), client.ObjectKey{Name: c}, cl) == nil {
				_ = cp.Patch(context.Background(), cl, client.RawPatch("application/merge-patch+json", []byte(`{"metadata":{"labels":{"e2e-tier":null}}}`)))
			}
		}
	})
	label("e2e-m1", "gold")
	ns := framework.TestNamespace(t, cp, "labelmove")
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "web", 1)))
	p := framework.Policy(ns, "web", nil, nil)
	p.Spec.Placement.ClusterAffinity = &policyv1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"e2e-tier": "gold"}}}
	require.NoError(t, cp.Create(ctx, p))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 1})

	label("e2e-m2", "gold")
	label("e2e-m1", "")
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m2": 1})
}

// TestResourceQuotaCapsReplicas: a member's ResourceQuota in the
// workload's namespace caps what it can hold, as Karmada's
// scheduler-estimator counts it (and a quota without scopes counts too):
// more replicas than it allows stay unscheduled, with the quota named; a
// raised quota lets them in at once.
func TestResourceQuotaCapsReplicas(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "quota")
	expectNamespace(t, "e2e-m1", ns, true)
	rq := &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "team"},
		Spec: corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("300m")}}}
	require.NoError(t, m1.Create(ctx, rq))
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		if err := m1.Get(ctx, client.ObjectKeyFromObject(rq), rq); err != nil {
			return false, err.Error()
		}
		return rq.Status.Used != nil, "the member's quota controller has not counted yet"
	})

	require.NoError(t, cp.Create(ctx, cpuHeavy(ns, "web", 5, "100m")))
	_, err := karmada(t, "-n", ns, "propagate", "deployment/web", "--clusters", "e2e-m1", "--dynamic-weight")
	require.NoError(t, err)
	unschedulable(t, ns, "web", func(rb *workv1alpha2.ResourceBinding) bool {
		return assert.ObjectsAreEqual(map[string]int64{"e2e-m1": 3}, available(t, rb))
	})
	out, err := karmada(t, "-n", ns, "explain-placement", "deployment/web")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^e2e-m1\s+no\s+-\s+3\s+can hold 3 more, as its ResourceQuota allows$`, out)

	require.NoError(t, m1.Get(ctx, client.ObjectKeyFromObject(rq), rq))
	rq.Spec.Hard[corev1.ResourceRequestsCPU] = resource.MustParse("1")
	require.NoError(t, m1.Update(ctx, rq))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 5})
}

// TestSpreadByClusterAndRegion: Karmada's combined spread selection, as
// its own tests check it: a Duplicated workload with cluster min=max=1 and
// region min=max=2 runs in one cluster of each region; with region max 1,
// in one region.
func TestSpreadByClusterAndRegion(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "spread2")
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "web", 1)))
	p := framework.Policy(ns, "web", nil, &policyv1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDuplicated})
	p.Spec.Placement.ClusterAffinity = nil
	p.Spec.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{
		{SpreadByField: policyv1alpha1.SpreadByFieldCluster, MinGroups: 1, MaxGroups: 1},
		{SpreadByField: policyv1alpha1.SpreadByFieldRegion, MinGroups: 2, MaxGroups: 2},
	}
	require.NoError(t, cp.Create(ctx, p))
	got := placement(fw.Scheduled(t, ns, "web"))
	assert.Len(t, got, 2, "%v", got)
	assert.Equal(t, int32(1), got["e2e-m3"], "eu-west: %v", got)
	assert.Equal(t, int32(1), got["e2e-m1"]+got["e2e-m2"], "one of us-east: %v", got)

	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(p), p))
	p.Spec.Placement.SpreadConstraints[1] = policyv1alpha1.SpreadConstraint{SpreadByField: policyv1alpha1.SpreadByFieldRegion, MinGroups: 1, MaxGroups: 1}
	require.NoError(t, cp.Update(ctx, p))
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		got := placement(fw.Scheduled(t, ns, "web"))
		return len(got) == 1, fmt.Sprintf("placement %v", got)
	})
}
