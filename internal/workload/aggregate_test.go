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
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
)

// aggregated reflects each member copy's status (as the execution
// controller does) and aggregates them onto template.
func aggregated(t *testing.T, template string, members ...string) map[string]any {
	t.Helper()
	sts := make([]*runtime.RawExtension, 0, len(members))
	for _, m := range members {
		st, _, err := Reflect(object(t, m))
		require.NoError(t, err)
		sts = append(sts, st)
	}
	out, err := Aggregate(object(t, template), items(sts...))
	require.NoError(t, err)
	return out
}

func TestAggregateJob(t *testing.T) {
	tpl := "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n"
	running := "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nstatus: {active: 2, ready: 1, startTime: '2026-01-01T00:00:05Z'}\n"
	done := `apiVersion: batch/v1
kind: Job
metadata: {name: j}
status:
  succeeded: 3
  startTime: '2026-01-01T00:00:00Z'
  completionTime: '2026-01-01T00:01:00Z'
  conditions: [{type: SuccessCriteriaMet, status: "True"}, {type: Complete, status: "True"}]
`
	failed := `apiVersion: batch/v1
kind: Job
metadata: {name: j}
status:
  failed: 1
  startTime: '2026-01-01T00:00:00Z'
  conditions: [{type: FailureTarget, status: "True"}, {type: Failed, status: "True"}]
`
	out := aggregated(t, tpl, running, done)
	assert.Equal(t, int64(2), out["active"])
	assert.Equal(t, int64(1), out["ready"])
	assert.Equal(t, int64(3), out["succeeded"])
	assert.Equal(t, "2026-01-01T00:00:00Z", out["startTime"], "started with the first member")
	assert.NotContains(t, out, "completionTime", "not complete while a member runs")
	assert.NotContains(t, out, "conditions")

	out = aggregated(t, tpl, done, done)
	assert.Equal(t, "2026-01-01T00:01:00Z", out["completionTime"])
	assert.Equal(t, []string{"SuccessCriteriaMet", "Complete"}, conditionTypes(out))

	out = aggregated(t, tpl, done, failed)
	assert.Equal(t, []string{"FailureTarget", "Failed"}, conditionTypes(out))
	conds, _, _ := unstructured.NestedSlice(out, "conditions")
	assert.Equal(t, "Job executed failed in member clusters m2", conds[1].(map[string]any)["message"])

	finished := object(t, tpl)
	require.NoError(t, unstructured.SetNestedField(finished.Object, out, "status"))
	again, err := Aggregate(finished, items(nil, nil))
	require.NoError(t, err)
	assert.Nil(t, again, "a finished Job's status stays as it is")
}

func conditionTypes(status map[string]any) []string {
	conds, _, _ := unstructured.NestedSlice(status, "conditions")
	out := make([]string, 0, len(conds))
	for _, c := range conds {
		out = append(out, c.(map[string]any)["type"].(string))
	}
	return out
}

func TestAggregateCronJob(t *testing.T) {
	out := aggregated(t, "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\n",
		"apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nstatus: {active: [{name: c-1}], lastScheduleTime: '2026-01-01T00:00:00Z'}\n",
		"apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nstatus: {active: [{name: c-2}], lastScheduleTime: '2026-01-01T00:05:00Z', lastSuccessfulTime: '2026-01-01T00:04:00Z'}\n")
	active, _, _ := unstructured.NestedSlice(out, "active")
	assert.Len(t, active, 2)
	assert.Equal(t, "2026-01-01T00:05:00Z", out["lastScheduleTime"])
	assert.Equal(t, "2026-01-01T00:04:00Z", out["lastSuccessfulTime"])
}

func TestAggregatePhases(t *testing.T) {
	pod := func(phase string, ready string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: " + phase + ", conditions: [{type: Ready, status: '" + ready +
			"'}], containerStatuses: [{name: c, ready: true, image: nginx, imageID: x, restartCount: 2, state: {running: {}}}]}\n"
	}
	tpl := "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
	out := aggregated(t, tpl, pod("Running", "True"), pod("Succeeded", "False"))
	assert.Equal(t, "Running", out["phase"])
	cs, _, _ := unstructured.NestedSlice(out, "containerStatuses")
	assert.Len(t, cs, 1, "each container once")
	assert.Equal(t, "Pending", aggregated(t, tpl, pod("Running", "True"), pod("Pending", "False"))["phase"])
	assert.Equal(t, "Failed", aggregated(t, tpl, pod("Failed", "False"), pod("Pending", "False"))["phase"])
	out, err := Aggregate(object(t, tpl), items(nil))
	require.NoError(t, err)
	assert.Equal(t, "Pending", out["phase"], "a member not heard from yet counts as pending")
	_, h, err := Reflect(object(t, pod("Running", "False")))
	require.NoError(t, err)
	assert.Equal(t, workv1alpha1.ResourceUnhealthy, h, "running but not ready")

	claim := func(phase string) string {
		return "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nstatus: {phase: " + phase + "}\n"
	}
	tpl = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\n"
	assert.Equal(t, "Bound", aggregated(t, tpl, claim("Bound"), claim("Bound"))["phase"])
	assert.Equal(t, "Pending", aggregated(t, tpl, claim("Bound"), claim("Pending"))["phase"])
	assert.Equal(t, "Lost", aggregated(t, tpl, claim("Lost"), claim("Pending"))["phase"])
	_, h, err = Reflect(object(t, claim("Pending")))
	require.NoError(t, err)
	assert.Equal(t, workv1alpha1.ResourceUnhealthy, h)

	volume := func(phase string) string {
		return "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: v}\nstatus: {phase: " + phase + "}\n"
	}
	assert.Equal(t, "Available", aggregated(t, "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: v}\n", volume("Bound"), volume("Available"))["phase"])
}

func TestAggregateDisruptionBudget(t *testing.T) {
	pdb := func(current, desired int, pod string) string {
		return "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nstatus: {currentHealthy: " + itoa(current) +
			", desiredHealthy: " + itoa(desired) + ", expectedPods: 3, disruptionsAllowed: 1, disruptedPods: {" + pod + ": '2026-01-01T00:00:00Z'}}\n"
	}
	out := aggregated(t, "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b, generation: 4}\n", pdb(3, 2, "a"), pdb(1, 2, "b"))
	assert.Equal(t, int64(4), out["currentHealthy"])
	assert.Equal(t, int64(4), out["desiredHealthy"])
	assert.Equal(t, int64(6), out["expectedPods"])
	assert.Equal(t, int64(2), out["disruptionsAllowed"])
	assert.Equal(t, int64(4), out["observedGeneration"])
	assert.Equal(t, map[string]any{"m1/a": "2026-01-01T00:00:00Z", "m2/b": "2026-01-01T00:00:00Z"}, out["disruptedPods"])
	_, h, err := Reflect(object(t, pdb(1, 2, "b")))
	require.NoError(t, err)
	assert.Equal(t, workv1alpha1.ResourceUnhealthy, h)
}

func TestAggregateIngress(t *testing.T) {
	ing := "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nstatus: {loadBalancer: {ingress: [{ip: 10.0.0.1}, {hostname: lb.example}]}}\n"
	out := aggregated(t, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n", ing)
	ingress, _, _ := unstructured.NestedSlice(out, "loadBalancer", "ingress")
	assert.Equal(t, []any{map[string]any{"ip": "10.0.0.1", "hostname": "m1"}, map[string]any{"hostname": "lb.example"}}, ingress)

	svc, err := Aggregate(object(t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: ClusterIP}\n"), items(nil))
	require.NoError(t, err)
	assert.Nil(t, svc, "only a LoadBalancer's status comes from its members")
}

func itoa(i int) string { return strconv.Itoa(i) }
