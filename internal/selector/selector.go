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

// Package selector holds the one rule for which templates a policy's
// resourceSelectors pick, as Karmada defines it. The detector (which
// PropagationPolicy wins), the override policies and explain-placement all
// ask it, so they never disagree.
package selector

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
)

// Precision is how precisely a selector picks a template; when two
// policies of the same priority pick one, the more precise wins.
type Precision int

const (
	// None means no selector picks the template.
	None Precision = iota
	// ByKind means a selector names the apiVersion and kind only.
	ByKind
	// ByLabel means a selector's labelSelector matches the template's labels.
	ByLabel
	// ByName means a selector names the template.
	ByName
)

// Match returns how precisely selectors pick obj. policyNamespace is the
// namespace of a namespaced policy ("" for a cluster-scoped one): such a
// policy only picks objects of its own namespace, whatever its selectors
// say. A selector's name, when set, wins over its labelSelector; an
// invalid labelSelector picks nothing.
func Match(selectors []policyv1alpha1.ResourceSelector, policyNamespace string, obj *unstructured.Unstructured) Precision {
	if policyNamespace != "" && policyNamespace != obj.GetNamespace() {
		return None
	}
	best := None
	for _, s := range selectors {
		if s.APIVersion != obj.GetAPIVersion() || s.Kind != obj.GetKind() {
			continue
		}
		if s.Namespace != "" && s.Namespace != obj.GetNamespace() {
			continue
		}
		p := ByKind
		switch {
		case s.Name != "":
			if s.Name != obj.GetName() {
				continue
			}
			p = ByName
		case s.LabelSelector != nil:
			if !LabelsMatch(s.LabelSelector, obj.GetLabels()) {
				continue
			}
			p = ByLabel
		}
		best = max(best, p)
	}
	return best
}

// Selects reports whether an override policy's selectors pick obj: as
// Match, except that no selectors at all pick everything the policy can
// reach (Karmada's rule for OverridePolicy and ClusterOverridePolicy).
func Selects(selectors []policyv1alpha1.ResourceSelector, policyNamespace string, obj *unstructured.Unstructured) bool {
	if len(selectors) == 0 {
		return policyNamespace == "" || policyNamespace == obj.GetNamespace()
	}
	return Match(selectors, policyNamespace, obj) != None
}

// LabelsMatch reports whether selector selects a set of labels; an invalid
// selector selects nothing.
func LabelsMatch(selector *metav1.LabelSelector, set map[string]string) bool {
	sel, err := metav1.LabelSelectorAsSelector(selector)
	return err == nil && sel.Matches(labels.Set(set))
}
