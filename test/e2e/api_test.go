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
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestQuickStartAccepted applies Karmada's quick-start YAML unchanged, with
// kubectl's strict field validation, and checks the control plane keeps the
// Deployment as a template that never gets pods.
func TestQuickStartAccepted(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "quickstart")
	for _, file := range []string{"deployment.yaml", "propagationpolicy.yaml", "overridepolicy.yaml"} {
		for _, obj := range framework.ReadObjects(t, filepath.Join("..", "..", "docs", "samples", "quickstart", file)) {
			obj.SetNamespace(ns)
			require.NoError(t, framework.CreateStrict(ctx, cp, obj), "%s was rejected", file)
		}
	}

	pp := &policyv1alpha1.PropagationPolicy{}
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "nginx-propagation"}, pp))
	weights := pp.Spec.Placement.ReplicaScheduling.WeightPreference.StaticWeightList
	require.Len(t, weights, 2)
	assert.Equal(t, []string{"member1"}, weights[0].TargetCluster.ClusterNames)
	assert.Equal(t, int64(1), weights[1].Weight)
	// Defaults as Karmada's API server sets them.
	assert.Equal(t, policyv1alpha1.ConflictAbort, pp.Spec.ConflictResolution)
	require.NotNil(t, pp.Spec.Priority)
	assert.Equal(t, int32(0), *pp.Spec.Priority)

	op := &policyv1alpha1.OverridePolicy{}
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "nginx-op"}, op))
	require.Len(t, op.Spec.OverrideRules, 2)
	assert.Equal(t, map[string]string{"tier": "web"}, op.Spec.OverrideRules[0].Overriders.LabelsOverrider[2].Value)
	assert.Equal(t, policyv1alpha1.OverriderOpReplace, op.Spec.OverrideRules[1].Overriders.AnnotationsOverrider[2].Operator)

	// The control plane runs no deployment controller and has no nodes: the
	// Deployment stays a template. What it runs, the garbage collector, is
	// seen at work on an object made after the Deployment (an orphan it
	// removes); a deployment controller would have made a ReplicaSet by
	// then.
	orphan := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "orphan", OwnerReferences: []metav1.OwnerReference{{
		APIVersion: "v1", Kind: "ConfigMap", Name: "gone", UID: "00000000-0000-0000-0000-000000000000"}}}}
	require.NoError(t, cp.Create(ctx, orphan))
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		err := cp.Get(ctx, client.ObjectKeyFromObject(orphan), &corev1.ConfigMap{})
		return apierrors.IsNotFound(err), "the garbage collector has not removed the orphan yet"
	})
	var sets appsv1.ReplicaSetList
	require.NoError(t, cp.List(ctx, &sets, client.InNamespace(ns)))
	assert.Empty(t, sets.Items, "the control plane must not run workloads")
	dep := &appsv1.Deployment{}
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "nginx"}, dep))
	assert.Zero(t, dep.Status.Replicas)
}

// TestReplicaSchedulingDefaults checks the defaults a Karmada user relies
// on: a replicaScheduling with no type is Divided.
func TestReplicaSchedulingDefaults(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "defaults")
	objs := framework.DecodeAll(t, []byte(`
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: divided
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment}
  placement:
    replicaScheduling: {}
    spreadConstraints:
    - {spreadByField: cluster, maxGroups: 2}
`))
	objs[0].SetNamespace(ns)
	require.NoError(t, framework.CreateStrict(ctx, cp, objs[0]))
	pp := &policyv1alpha1.PropagationPolicy{}
	require.NoError(t, cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "divided"}, pp))
	assert.Equal(t, policyv1alpha1.ReplicaSchedulingTypeDivided, pp.Spec.Placement.ReplicaScheduling.ReplicaSchedulingType)
	assert.Equal(t, 1, pp.Spec.Placement.SpreadConstraints[0].MinGroups)
	assert.Equal(t, "default-scheduler", pp.Spec.SchedulerName)
}

// TestInvalidObjectsRejected sends objects that break the API's rules, a
// careless user's and an attacker's, and expects the API server to reject
// each, naming the field at fault. (Policies the schema cannot judge are
// reported on the policy or the binding: security_test.go.)
func TestInvalidObjectsRejected(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "invalid")
	pp := func(spec string) string {
		return "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: bad}\nspec:\n" + spec
	}
	selector := "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: nginx}]\n"
	op := func(overriders string) string {
		return "apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: bad-op4}\nspec:\n  overrideRules:\n  - overriders:\n      " + overriders + "\n"
	}
	cases := []struct {
		name, yaml string
		// field is what the error must name; reason is the rest we expect.
		field, reason string
	}{
		{"no resource selectors", pp("  placement: {}\n"),
			"spec.resourceSelectors", "Required value"},
		{"empty resource selectors", pp("  resourceSelectors: []\n"),
			"spec.resourceSelectors", "at least 1 items"},
		{"selector without kind", pp("  resourceSelectors: [{apiVersion: apps/v1}]\n"),
			"spec.resourceSelectors[0].kind", "Required value"},
		{"affinity and affinities together", pp(selector + "  placement:\n    clusterAffinity: {clusterNames: [member1]}\n    clusterAffinities: [{affinityName: a, clusterNames: [member2]}]\n"),
			"spec.placement", "clusterAffinity and clusterAffinities cannot both be set"},
		{"duplicate affinity names", pp(selector + "  placement:\n    clusterAffinities: [{affinityName: a, clusterNames: [member1]}, {affinityName: a, clusterNames: [member2]}]\n"),
			"spec.placement.clusterAffinities[1]", "Duplicate value"},
		{"weight zero", pp(selector + "  placement:\n    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList: [{targetCluster: {clusterNames: [member1]}, weight: 0}]\n"),
			"spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight", "greater than or equal to 1"},
		{"weight 2^62", pp(selector + "  placement:\n    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList: [{targetCluster: {clusterNames: [member1]}, weight: 4611686018427387904}]\n"),
			"spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight", "less than or equal to 2147483647"},
		{"unknown scheduling type", pp(selector + "  placement:\n    replicaScheduling: {replicaSchedulingType: Spread}\n"),
			"spec.placement.replicaScheduling.replicaSchedulingType", `Unsupported value: "Spread"`},
		{"unknown division preference", pp(selector + "  placement:\n    replicaScheduling: {replicaDivisionPreference: Random}\n"),
			"spec.placement.replicaScheduling.replicaDivisionPreference", `Unsupported value: "Random"`},
		{"unknown dynamic weight", pp(selector + "  placement:\n    replicaScheduling: {weightPreference: {dynamicWeight: Memory}}\n"),
			"spec.placement.replicaScheduling.weightPreference.dynamicWeight", `Unsupported value: "Memory"`},
		{"unknown spread field", pp(selector + "  placement:\n    spreadConstraints: [{spreadByField: country}]\n"),
			"spec.placement.spreadConstraints[0].spreadByField", `Unsupported value: "country"`},
		{"spread by field and label", pp(selector + "  placement:\n    spreadConstraints: [{spreadByField: cluster, spreadByLabel: team}]\n"),
			"spec.placement.spreadConstraints[0]", "spreadByField and spreadByLabel cannot both be set"},
		{"max groups below min groups", pp(selector + "  placement:\n    spreadConstraints: [{spreadByField: cluster, minGroups: 3, maxGroups: 2}]\n"),
			"spec.placement.spreadConstraints[0]", "maxGroups must not be lower than minGroups"},
		{"region spread without cluster spread", pp(selector + "  placement:\n    spreadConstraints: [{spreadByField: region, minGroups: 2}]\n"),
			"spec.placement.spreadConstraints", "must include one with spreadByField: cluster"},
		{"field selector on an unknown key", pp(selector + "  placement:\n    clusterAffinity:\n      fieldSelector: {matchExpressions: [{key: country, operator: In, values: [fr]}]}\n"),
			"spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].key", `Unsupported value: "country"`},
		{"field selector operator Exists", pp(selector + "  placement:\n    clusterAffinity:\n      fieldSelector: {matchExpressions: [{key: region, operator: Exists}]}\n"),
			"spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].operator", `Unsupported value: "Exists"`},
		{"toleration with a bad operator", pp(selector + "  placement:\n    clusterTolerations: [{key: k, operator: Maybe, effect: NoSchedule}]\n"),
			"spec.placement.clusterTolerations", "toleration operator must be Exists or Equal"},
		{"Exists toleration with a value", pp(selector + "  placement:\n    clusterTolerations: [{key: k, operator: Exists, value: v}]\n"),
			"spec.placement.clusterTolerations", "toleration value must be empty when operator is Exists"},
		{"unknown conflict resolution", pp(selector + "  conflictResolution: Ignore\n"),
			"spec.conflictResolution", `Unsupported value: "Ignore"`},
		{"grace period without graceful purge", pp(selector + "  failover:\n    application:\n      decisionConditions: {tolerationSeconds: 60}\n      purgeMode: Immediately\n      gracePeriodSeconds: 30\n"),
			"spec.failover.application", "gracePeriodSeconds may only be set when purgeMode is Graciously"},
		{"misspelt field", pp(selector + "  placement:\n    replicaScheduling: {replicaSchedulingTyp: Divided}\n"),
			`spec.placement.replicaScheduling.replicaSchedulingTyp`, "unknown field"},
		{"cluster policy with a negative weight", `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: bad-cpp}
spec:
  resourceSelectors: [{apiVersion: v1, kind: Namespace, name: demo}]
  placement:
    replicaScheduling:
      weightPreference: {staticWeightList: [{targetCluster: {clusterNames: [member1]}, weight: -2}]}
`, "spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight", "greater than or equal to 1"},
		{"image overrider on an unknown component", `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: bad-op}
spec:
  overrideRules:
  - overriders:
      imageOverrider: [{component: Digest, operator: replace, value: sha256}]
`, "spec.overrideRules[0].overriders.imageOverrider[0].component", `Unsupported value: "Digest"`},
		{"image overrider add without value", `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: bad-cop}
spec:
  overrideRules:
  - overriders:
      imageOverrider: [{component: Registry, operator: add}]
`, "spec.overrideRules[0].overriders.imageOverrider[0]", "value is required when operator is add or replace"},
		{"plaintext path not a JSON pointer", `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: bad-op2}
spec:
  overrideRules:
  - overriders:
      plaintext: [{path: spec/replicas, operator: replace, value: 3}]
`, "spec.overrideRules[0].overriders.plaintext[0].path", "path must start with /"},
		{"command overrider replace", `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: bad-op3}
spec:
  overrideRules:
  - overriders:
      commandOverrider: [{containerName: nginx, operator: replace, value: [sh]}]
`, "spec.overrideRules[0].overriders.commandOverrider[0]", "operator must be add or remove"},
		{"cluster without sync mode", `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: bad-cluster}
spec: {apiEndpoint: "https://127.0.0.1:6443"}
`, "spec.syncMode", "Required value"},
		{"push cluster without endpoint", `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: bad-cluster}
spec: {syncMode: Push}
`, "spec", "spec.apiEndpoint is required when spec.syncMode is Push"},
		{"cluster name not a DNS label", `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: member.one}
spec: {syncMode: Pull}
`, "<nil>", "metadata.name must be a DNS label"},
		// Hostile overrides: a copy may not change what it is.
		{"override moves the copy to kube-system", op("plaintext: [{path: /metadata/namespace, operator: replace, value: kube-system}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not change the apiVersion, kind, metadata.name or metadata.namespace"},
		{"override renames the copy", op("plaintext: [{path: /metadata/name, operator: replace, value: other}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not change"},
		{"override removes the namespace", op("plaintext: [{path: /metadata/namespace, operator: remove}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not change"},
		{"override changes the kind", op("plaintext: [{path: /kind, operator: replace, value: ClusterRoleBinding}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not change"},
		{"override changes the API group", op("plaintext: [{path: /apiVersion, operator: replace, value: rbac.authorization.k8s.io/v1}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not change"},
		{"override replaces all metadata", op("plaintext: [{path: /metadata, operator: replace, value: {name: x, namespace: kube-system}}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not change"},
		{"override adds a namespace", op("plaintext: [{path: /metadata/namespace, operator: add, value: kube-system}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not change"},
		{"image predicate aimed at the namespace", op("imageOverrider: [{predicate: {path: /metadata/namespace}, component: Repository, operator: replace, value: kube-system}]"),
			"spec.overrideRules[0].overriders.imageOverrider[0].predicate.path", "may not change"},
		{"field overrider aimed at the name", op("fieldOverrider: [{fieldPath: /metadata/name, json: [{subPath: /x, operator: add, value: 1}]}]"),
			"spec.overrideRules[0].overriders.fieldOverrider[0].fieldPath", "may not change"},
		{"top-level overriders move the copy", `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: bad-cop2}
spec:
  overriders:
    plaintext: [{path: /metadata/namespace, operator: replace, value: kube-system}]
`, "spec.overriders.plaintext[0].path", "may not change"},
		{"plaintext path past the bound", op("plaintext: [{path: /" + strings.Repeat("a", 600) + ", operator: remove}]"),
			"spec.overrideRules[0].overriders.plaintext[0].path", "may not be more than 512"},
		{"more than 100 plaintext overriders", op("plaintext: [" + strings.Repeat("{path: /spec/replicas, operator: remove}, ", 100) + "{path: /spec/replicas, operator: remove}]"),
			"spec.overrideRules[0].overriders.plaintext", "must have at most 100 items"},
		{"more than 100 override rules", "apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: bad-op5}\nspec:\n  overrideRules: [" +
			strings.Repeat("{overriders: {}}, ", 100) + "{overriders: {}}]\n",
			"spec.overrideRules", "must have at most 100 items"},
		{"plaintext operator move", op("plaintext: [{path: /spec/replicas, operator: move, value: 1}]"),
			"spec.overrideRules[0].overriders.plaintext[0].operator", `Unsupported value: "move"`},
		{"labels overrider upsert", op("labelsOverrider: [{operator: upsert, value: {a: b}}]"),
			"spec.overrideRules[0].overriders.labelsOverrider[0].operator", `Unsupported value: "upsert"`},
		{"field overrider with json and yaml", op("fieldOverrider: [{fieldPath: /data/x, json: [{subPath: /a, operator: remove}], yaml: [{subPath: /a, operator: remove}]}]"),
			"spec.overrideRules[0].overriders.fieldOverrider[0]", "json and yaml cannot both be set"},
		// Hostile numbers.
		{"weight just past the bound", pp(selector + "  placement:\n    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList: [{targetCluster: {clusterNames: [member1]}, weight: 2147483648}]\n"),
			"spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight", "less than or equal to 2147483647"},
		{"negative min groups", pp(selector + "  placement:\n    spreadConstraints: [{spreadByField: cluster, minGroups: -1}]\n"),
			"spec.placement.spreadConstraints[0].minGroups", "greater than or equal to 0"},
		{"more than 64 tolerations", pp(selector + "  placement:\n    clusterTolerations: [" + strings.Repeat("{key: k, operator: Exists}, ", 64) + "{key: k, operator: Exists}]\n"),
			"spec.placement.clusterTolerations", "must have at most 64 items"},
		{"more than 16 spread constraints", pp(selector + "  placement:\n    spreadConstraints: [" + strings.Repeat("{spreadByField: cluster}, ", 16) + "{spreadByField: cluster}]\n"),
			"spec.placement.spreadConstraints", "must have at most 16 items"},
		{"affinity name too long", pp(selector + "  placement:\n    clusterAffinities: [{affinityName: " + strings.Repeat("a", 33) + ", clusterNames: [member1]}]\n"),
			"spec.placement.clusterAffinities[0].affinityName", "may not be more than 32"},
		{"cluster proxy of an unknown scheme", `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: bad-cluster}
spec: {syncMode: Push, apiEndpoint: "https://127.0.0.1:6443", proxyURL: "file:///etc/passwd"}
`, "spec.proxyURL", "should match"},
		{"cluster taint with a bad effect", `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: bad-cluster}
spec:
  syncMode: Pull
  taints: [{key: k, effect: Sometimes}]
`, "spec.taints", "taint effect must be NoSchedule, PreferNoSchedule or NoExecute"},
	}
	require.GreaterOrEqual(t, len(cases), 50, "the hostile table keeps at least 50 objects")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			objs := framework.DecodeAll(t, []byte(tc.yaml))
			require.Len(t, objs, 1)
			obj := objs[0]
			if !strings.HasPrefix(obj.GetKind(), "Cluster") {
				obj.SetNamespace(ns)
			}
			err := framework.CreateStrict(t.Context(), cp, obj)
			if err == nil {
				_ = cp.Delete(t.Context(), obj)
			}
			require.Error(t, err, "the API server accepted an invalid %s", obj.GetKind())
			assert.Contains(t, err.Error(), tc.field, "the error must name the field")
			assert.Contains(t, err.Error(), tc.reason)
		})
	}
}

// TestPrinterColumns asks the API server for the table kubectl shows and
// checks the Cluster and binding columns.
func TestPrinterColumns(t *testing.T) {
	ctx := t.Context()
	cluster := &clusterv1alpha1.Cluster{
		ObjectMeta: metav1.ObjectMeta{Name: "columns"},
		Spec:       clusterv1alpha1.ClusterSpec{SyncMode: clusterv1alpha1.Push, APIEndpoint: "https://127.0.0.1:1", Region: "us-east"},
	}
	require.NoError(t, cp.Create(ctx, cluster))
	t.Cleanup(func() {
		// Gone before the next test, which may count the joined clusters.
		// (The test's context is over by now.)
		_ = cp.Delete(context.Background(), cluster)
		err := wait.PollUntilContextTimeout(context.Background(), 200*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
			return apierrors.IsNotFound(cp.Get(ctx, client.ObjectKeyFromObject(cluster), &clusterv1alpha1.Cluster{})), nil
		})
		assert.NoError(t, err, "Cluster columns is still there")
	})

	for resource, want := range map[string][]string{
		"/apis/cluster.karmada.io/v1alpha1/clusters":           {"Name", "VERSION", "MODE", "READY", "NODES", "PROVIDER", "REGION", "APIENDPOINT", "AGE"},
		"/apis/work.karmada.io/v1alpha2/resourcebindings":      {"Name", "SCHEDULED", "FULLYAPPLIED", "KIND", "REPLICAS", "CLUSTERS", "AGE"},
		"/apis/policy.karmada.io/v1alpha1/propagationpolicies": {"Name", "CONFLICT-RESOLUTION", "PRIORITY", "AGE"},
		"/apis/work.karmada.io/v1alpha1/works":                 {"Name", "WORKLOAD-KIND", "APPLIED", "AVAILABLE", "AGE"},
	} {
		table := getTable(t, resource)
		names := make([]string, 0, len(table.ColumnDefinitions))
		for _, c := range table.ColumnDefinitions {
			names = append(names, c.Name)
		}
		assert.Equal(t, want, names, resource)
	}
	table := getTable(t, "/apis/cluster.karmada.io/v1alpha1/clusters/columns")
	require.Len(t, table.Rows, 1)
	assert.Equal(t, "Push", table.Rows[0].Cells[2], "MODE")
	assert.Equal(t, "us-east", table.Rows[0].Cells[6], "REGION")
}

// getTable fetches path as the server-side table kubectl prints. It goes
// through client-go, which retries when a fresh API server asks it to wait
// (429 with Retry-After).
func getTable(t *testing.T, path string) *metav1.Table {
	t.Helper()
	clientset, err := kubernetes.NewForConfig(controlPlane.Config)
	require.NoError(t, err)
	raw, err := clientset.CoreV1().RESTClient().Get().AbsPath(path).
		SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").
		DoRaw(t.Context())
	require.NoError(t, err, path)
	table := &metav1.Table{}
	require.NoError(t, json.Unmarshal(raw, table), path)
	return table
}
