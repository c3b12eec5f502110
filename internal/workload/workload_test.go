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

package workload

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func object(t *testing.T, text string) *unstructured.Unstructured {
	t.Helper()
	// Decode as objects from the API server are decoded: whole numbers
	// are int64.
	data, err := yaml.YAMLToJSON([]byte(text))
	require.NoError(t, err)
	u := &unstructured.Unstructured{}
	require.NoError(t, u.UnmarshalJSON(data))
	return u
}

const deploymentYAML = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
  uid: 1234
  resourceVersion: "42"
  generation: 3
  labels: {app: web, propagationpolicy.karmada.io/permanent-id: abc}
  annotations: {propagationpolicy.karmada.io/name: web, team: blue}
  managedFields: [{manager: kubectl}]
spec:
  replicas: 5
  template:
    spec:
      nodeSelector: {disk: ssd}
      initContainers:
      - {name: init, resources: {requests: {cpu: "2"}}}
      containers:
      - {name: a, resources: {requests: {cpu: 250m, memory: 64Mi}}}
      - {name: b, resources: {requests: {cpu: 250m}}}
status: {replicas: 5, readyReplicas: 5}
`

func TestReplicas(t *testing.T) {
	replicas, req, err := Replicas(object(t, deploymentYAML))
	require.NoError(t, err)
	assert.Equal(t, int32(5), replicas)
	// The init container's 2 cpu outweighs the containers' 500m.
	assert.Equal(t, "2", req.ResourceRequest.Cpu().String())
	assert.Equal(t, "64Mi", req.ResourceRequest.Memory().String())
	assert.Equal(t, map[string]string{"disk": "ssd"}, req.NodeClaim.NodeSelector)

	replicas, req, err = Replicas(object(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"))
	require.NoError(t, err)
	assert.Zero(t, replicas)
	assert.Nil(t, req)
	assert.True(t, KindHasReplicas("apps/v1", "StatefulSet"))
	assert.False(t, KindHasReplicas("v1", "Service"))
}

func TestMemberCopy(t *testing.T) {
	tpl := object(t, deploymentYAML)
	cp := MemberCopy(tpl)
	assert.NotContains(t, cp.Object, "status")
	assert.Empty(t, cp.GetUID())
	assert.Empty(t, cp.GetResourceVersion())
	assert.Zero(t, cp.GetGeneration())
	assert.Nil(t, cp.GetManagedFields())
	assert.Equal(t, map[string]string{"app": "web", "propagationpolicy.karmada.io/permanent-id": "abc"}, cp.GetLabels(), "the policy's marks stay, as in Karmada")
	assert.Equal(t, map[string]string{"propagationpolicy.karmada.io/name": "web", "team": "blue"}, cp.GetAnnotations())
	assert.Equal(t, int64(3), tpl.GetGeneration(), "the template itself is untouched")

	require.NoError(t, SetReplicas(cp, 2))
	r, _, _ := unstructured.NestedInt64(cp.Object, "spec", "replicas")
	assert.Equal(t, int64(2), r)

	svc := MemberCopy(object(t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: 10.0.0.1, clusterIPs: [10.0.0.1], ports: [{port: 80}]}\n"))
	_, found, _ := unstructured.NestedString(svc.Object, "spec", "clusterIP")
	assert.False(t, found, "each member assigns its own cluster IP")
}

func raw(t *testing.T, m map[string]any) *runtime.RawExtension {
	t.Helper()
	data, err := json.Marshal(m)
	require.NoError(t, err)
	return &runtime.RawExtension{Raw: data}
}

func TestReflectAndAggregateDeployment(t *testing.T) {
	member := object(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 2, annotations: {resourcetemplate.karmada.io/generation: "3"}}
status: {observedGeneration: 2, replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2,
  conditions: [{type: Available, status: "True", lastUpdateTime: "2026-01-01T00:00:00Z"}]}
`)
	st, health, err := Reflect(member)
	require.NoError(t, err)
	assert.Equal(t, workv1alpha1.ResourceHealthy, health)
	assert.NotContains(t, string(st.Raw), "conditions", "only the summed fields are reflected")

	tpl := object(t, deploymentYAML)
	other := raw(t, map[string]any{"generation": 1, "observedGeneration": 1, "resourceTemplateGeneration": "3",
		"replicas": 3, "readyReplicas": 1, "updatedReplicas": 3, "availableReplicas": 1, "unavailableReplicas": 2})
	out, err := Aggregate(tpl, items(st, other))
	require.NoError(t, err)
	assert.Equal(t, int64(5), out["replicas"])
	assert.Equal(t, int64(3), out["readyReplicas"])
	assert.Equal(t, int64(2), out["unavailableReplicas"])
	assert.Equal(t, int64(3), out["observedGeneration"], "every member observed the latest template")

	stale := raw(t, map[string]any{"generation": 2, "observedGeneration": 2, "resourceTemplateGeneration": "2"})
	out, err = Aggregate(tpl, items(st, stale))
	require.NoError(t, err)
	assert.NotEqual(t, int64(3), out["observedGeneration"], "a member still runs an older template")

	out, err = Aggregate(tpl, items(st, nil))
	require.NoError(t, err)
	assert.NotEqual(t, int64(3), out["observedGeneration"], "a member has not reported yet")
}

// items are the aggregated status items of members m1, m2... with these
// statuses.
func items(statuses ...*runtime.RawExtension) []workv1alpha2.AggregatedStatusItem {
	out := make([]workv1alpha2.AggregatedStatusItem, 0, len(statuses))
	for i, st := range statuses {
		out = append(out, workv1alpha2.AggregatedStatusItem{ClusterName: fmt.Sprintf("m%d", i+1), Status: st})
	}
	return out
}

func TestHealth(t *testing.T) {
	rolling := object(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, generation: 2}\nstatus: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}\n")
	_, h, err := Reflect(rolling)
	require.NoError(t, err)
	assert.Equal(t, workv1alpha1.ResourceUnhealthy, h, "the member has not observed its latest spec")

	lb := object(t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: LoadBalancer}\nstatus: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}\n")
	st, h, err := Reflect(lb)
	require.NoError(t, err)
	assert.Equal(t, workv1alpha1.ResourceHealthy, h)
	out, err := Aggregate(lb, items(st, st))
	require.NoError(t, err)
	ingress, _, _ := unstructured.NestedSlice(out, "loadBalancer", "ingress")
	assert.Equal(t, []any{map[string]any{"ip": "1.2.3.4", "hostname": "m1"}, map[string]any{"ip": "1.2.3.4", "hostname": "m2"}}, ingress,
		"one ingress per member, named after its cluster as Karmada does")

	cm := object(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
	out, err = Aggregate(cm, nil)
	require.NoError(t, err)
	assert.Nil(t, out, "kinds without a known status are left alone")
}
