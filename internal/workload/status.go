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

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
)

// TemplateGenerationAnnotation on a member's copy records the generation
// of the template it was rendered from, so status can tell whether every
// member runs the template's latest spec.
const TemplateGenerationAnnotation = "resourcetemplate.karmada.io/generation"

// Reflect returns what to record of a member's copy: its status, with its
// own generation and the template generation it came from added (status
// aggregation needs both), and its health.
func Reflect(obj *unstructured.Unstructured) (*runtime.RawExtension, workv1alpha1.ResourceHealth, error) {
	full, _, _ := unstructured.NestedMap(obj.Object, "status")
	kind := obj.GroupVersionKind().GroupKind().String()
	status := SlimStatus(kind, full)
	if status == nil {
		status = map[string]any{}
	}
	status["generation"] = obj.GetGeneration()
	if g, ok := obj.GetAnnotations()[TemplateGenerationAnnotation]; ok {
		status["resourceTemplateGeneration"] = g
	}
	raw, err := json.Marshal(status)
	if err != nil {
		return nil, workv1alpha1.ResourceUnknownHealth, err
	}
	return &runtime.RawExtension{Raw: raw}, health(kind, obj.GetGeneration(), status), nil
}

// Health returns the health Reflect would record for a member's copy,
// without encoding its status.
func Health(obj *unstructured.Unstructured) workv1alpha1.ResourceHealth {
	status, _, _ := unstructured.NestedMap(obj.Object, "status")
	return health(obj.GroupVersionKind().GroupKind().String(), obj.GetGeneration(), status)
}

func health(kind string, generation int64, s map[string]any) workv1alpha1.ResourceHealth {
	observed := num(s, "observedGeneration") >= generation
	ok := true
	switch kind {
	case "Deployment.apps":
		want := num(s, "replicas")
		ok = observed && num(s, "updatedReplicas") == want && num(s, "availableReplicas") == want && num(s, "unavailableReplicas") == 0
	case "StatefulSet.apps":
		want := num(s, "replicas")
		ok = observed && num(s, "readyReplicas") == want && num(s, "updatedReplicas") == want
	case "ReplicaSet.apps":
		ok = observed && num(s, "readyReplicas") == num(s, "replicas")
	case "DaemonSet.apps":
		ok = observed && num(s, "numberReady") == num(s, "desiredNumberScheduled")
	case "Job.batch":
		ok = !hasCondition(s, "Failed")
	case "Service":
		// Only a LoadBalancer waits for something: its ingress.
		if lb, _, _ := unstructured.NestedSlice(s, "loadBalancer", "ingress"); lb == nil {
			return workv1alpha1.ResourceHealthy
		}
	case "Ingress.networking.k8s.io":
		lb, _, _ := unstructured.NestedSlice(s, "loadBalancer", "ingress")
		ok = len(lb) > 0
	case "PersistentVolumeClaim":
		ok = str(s, "phase") == "Bound"
	case "PodDisruptionBudget.policy":
		ok = num(s, "currentHealthy") >= num(s, "desiredHealthy")
	case "Pod":
		phase := str(s, "phase")
		ok = phase == "Succeeded" || (phase == "Running" && hasCondition(s, "Ready"))
	}
	if ok {
		return workv1alpha1.ResourceHealthy
	}
	return workv1alpha1.ResourceUnhealthy
}

// summedFields are the status counters that add up across members.
var summedFields = map[string][]string{
	"Deployment.apps":  {"replicas", "readyReplicas", "updatedReplicas", "availableReplicas", "unavailableReplicas"},
	"StatefulSet.apps": {"replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"},
	"ReplicaSet.apps":  {"replicas", "readyReplicas", "availableReplicas", "fullyLabeledReplicas"},
	"DaemonSet.apps":   {"currentNumberScheduled", "desiredNumberScheduled", "numberAvailable", "numberMisscheduled", "numberReady", "updatedNumberScheduled", "numberUnavailable"},
	"Job.batch":        {"active", "succeeded", "failed", "ready"},
}

// SlimStatus keeps, for kinds whose status is summed, only what the sums
// and the health need: conditions and timestamps change often and would
// make every small change a write, and memory holds less. Other kinds keep
// their whole status.
func SlimStatus(kind string, status map[string]any) map[string]any {
	fields, ok := summedFields[kind]
	if !ok || status == nil {
		return status
	}
	out := map[string]any{}
	for _, f := range append(fields, keptFields[kind]...) {
		if v, ok := status[f]; ok {
			out[f] = v
		}
	}
	return out
}

// keptFields are the other status fields reflected for summed kinds.
var keptFields = map[string][]string{
	"Deployment.apps":  {"observedGeneration"},
	"StatefulSet.apps": {"observedGeneration"},
	"ReplicaSet.apps":  {"observedGeneration"},
	"DaemonSet.apps":   {"observedGeneration"},
	"Job.batch":        {"conditions", "startTime", "completionTime"},
}

// ReportedCount reads one counter (replicas, readyReplicas, ...) of a
// member status reflected by Reflect; false when it was not reported.
func ReportedCount(raw *runtime.RawExtension, field string) (int64, bool) {
	if raw == nil {
		return 0, false
	}
	var m map[string]any
	if json.Unmarshal(raw.Raw, &m) != nil {
		return 0, false
	}
	if _, ok := m[field]; !ok {
		return 0, false
	}
	return num(m, field), true
}

func num(m map[string]any, field string) int64 {
	switch v := m[field].(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	case json.Number:
		n, _ := v.Int64()
		return n
	}
	return 0
}

func str(m map[string]any, field string) string {
	s, _ := m[field].(string)
	return s
}

func hasCondition(s map[string]any, condType string) bool {
	conds, _, _ := unstructured.NestedSlice(s, "conditions")
	for _, c := range conds {
		if cm, ok := c.(map[string]any); ok && cm["type"] == condType && cm["status"] == "True" {
			return true
		}
	}
	return false
}
