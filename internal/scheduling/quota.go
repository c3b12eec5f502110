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

package scheduling

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/types"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// PodScope is what decides whether a ResourceQuota's scopes apply to the
// pods of a workload.
type PodScope struct {
	PriorityClass string
	// BestEffort pods request nothing.
	BestEffort bool
}

// QuotaFree is what the ResourceQuotas of a member's namespace still let
// the pods of one workload take, per resource: cpu, memory and extended
// resources (requests.X and X are one), and pods (pods or count/pods);
// for each, the least that any applying quota leaves (hard - used). Limits
// are not counted (one replica's requests are what we know), nor storage
// and object counts. A quota whose usage the member has not computed yet
// is skipped. nil when no quota applies.
//
// Karmada's scheduler-estimator counts only quotas scoped by
// PriorityClass; a quota with no scope applies to every pod of its
// namespace, and is counted here too.
func QuotaFree(quotas []corev1.ResourceQuota, scope PodScope) corev1.ResourceList {
	var out corev1.ResourceList
	for i := range quotas {
		q := &quotas[i]
		if !quotaApplies(q, scope) {
			continue
		}
		for name, hard := range q.Status.Hard {
			key, ok := quotaResource(name)
			if !ok {
				continue
			}
			used, ok := q.Status.Used[name]
			if !ok {
				continue
			}
			free := hard.DeepCopy()
			free.Sub(used)
			if out == nil {
				out = corev1.ResourceList{}
			}
			if cur, ok := out[key]; !ok || free.Cmp(cur) < 0 {
				out[key] = free
			}
		}
	}
	return out
}

// quotaResource is the resource a quota entry counts for pods' requests,
// or false for what it does not.
func quotaResource(name corev1.ResourceName) (corev1.ResourceName, bool) {
	s := string(name)
	switch {
	case name == corev1.ResourcePods || s == "count/pods":
		return corev1.ResourcePods, true
	case strings.HasPrefix(s, "limits."):
		return "", false
	case strings.HasPrefix(s, "requests."):
		s = strings.TrimPrefix(s, "requests.")
		if s == "storage" {
			return "", false
		}
		return corev1.ResourceName(s), true
	case name == corev1.ResourceCPU || name == corev1.ResourceMemory || extended(s):
		return name, true
	}
	return "", false
}

// extended: an extended resource, domain-qualified outside kubernetes.io
// (nvidia.com/gpu), as the API server tells them.
func extended(s string) bool {
	return strings.Contains(s, "/") && !strings.HasPrefix(s, "count/") && !strings.Contains(s, "kubernetes.io/")
}

// quotaApplies: every scope of the quota matches the pods. Scopes that
// need more than the pod's priority class and whether it requests
// anything (Terminating needs activeDeadlineSeconds, for one) match pods
// of Deployments: NotTerminating does, Terminating and
// CrossNamespacePodAffinity do not.
func quotaApplies(q *corev1.ResourceQuota, scope PodScope) bool {
	var reqs []corev1.ScopedResourceSelectorRequirement
	for _, s := range q.Spec.Scopes {
		reqs = append(reqs, corev1.ScopedResourceSelectorRequirement{ScopeName: s, Operator: corev1.ScopeSelectorOpExists})
	}
	if q.Spec.ScopeSelector != nil {
		reqs = append(reqs, q.Spec.ScopeSelector.MatchExpressions...)
	}
	for _, r := range reqs {
		switch r.ScopeName {
		case corev1.ResourceQuotaScopePriorityClass:
			if !priorityClassMatches(r, scope.PriorityClass) {
				return false
			}
		case corev1.ResourceQuotaScopeBestEffort:
			if !scope.BestEffort {
				return false
			}
		case corev1.ResourceQuotaScopeNotBestEffort:
			if scope.BestEffort {
				return false
			}
		case corev1.ResourceQuotaScopeNotTerminating:
		default:
			return false
		}
	}
	return true
}

func priorityClassMatches(r corev1.ScopedResourceSelectorRequirement, class string) bool {
	ops := map[corev1.ScopeSelectorOperator]selection.Operator{
		corev1.ScopeSelectorOpIn: selection.In, corev1.ScopeSelectorOpNotIn: selection.NotIn,
		corev1.ScopeSelectorOpExists: selection.Exists, corev1.ScopeSelectorOpDoesNotExist: selection.DoesNotExist,
	}
	op, ok := ops[r.Operator]
	if !ok {
		return false
	}
	req, err := labels.NewRequirement(string(r.ScopeName), op, r.Values)
	if err != nil {
		return false
	}
	set := labels.Set{}
	if class != "" {
		set[string(r.ScopeName)] = class
	}
	return labels.NewSelector().Add(*req).Matches(set)
}

// ReserveQuota takes out of each cluster's QuotaFree what other bindings
// of namespace were given there and have not started yet: their pods
// will count against the same quotas.
func ReserveQuota(clusters []Cluster, bindings []workv1alpha2.Binding, namespace string, self types.UID) {
	var same []workv1alpha2.Binding
	for _, b := range bindings {
		if b.GetNamespace() == namespace {
			same = append(same, b)
		}
	}
	reserved := NotStarted(same, self)
	for i := range clusters {
		c := &clusters[i]
		if c.QuotaFree == nil || reserved[c.Name] == nil {
			continue
		}
		free := c.QuotaFree.DeepCopy()
		for name, q := range reserved[c.Name] {
			if f, ok := free[name]; ok {
				f.Sub(q)
				free[name] = f
			}
		}
		c.QuotaFree = free
	}
}
