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

package selector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
)

func template() *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("apps/v1")
	u.SetKind("Deployment")
	u.SetNamespace("demo")
	u.SetName("web")
	u.SetLabels(map[string]string{"app": "web"})
	return u
}

func sel(name string, labels map[string]string) policyv1alpha1.ResourceSelector {
	s := policyv1alpha1.ResourceSelector{APIVersion: "apps/v1", Kind: "Deployment", Name: name}
	if labels != nil {
		s.LabelSelector = &metav1.LabelSelector{MatchLabels: labels}
	}
	return s
}

func TestMatch(t *testing.T) {
	tpl := template()
	for _, tc := range []struct {
		name      string
		selectors []policyv1alpha1.ResourceSelector
		policyNS  string
		want      Precision
	}{
		{"by name", []policyv1alpha1.ResourceSelector{sel("web", nil)}, "demo", ByName},
		{"by label", []policyv1alpha1.ResourceSelector{sel("", map[string]string{"app": "web"})}, "demo", ByLabel},
		{"by kind", []policyv1alpha1.ResourceSelector{sel("", nil)}, "demo", ByKind},
		{"the most precise selector counts", []policyv1alpha1.ResourceSelector{sel("", nil), sel("web", nil)}, "demo", ByName},
		{"name wins over a label that does not match", []policyv1alpha1.ResourceSelector{sel("web", map[string]string{"app": "other"})}, "demo", ByName},
		{"other name", []policyv1alpha1.ResourceSelector{sel("api", nil)}, "demo", None},
		{"other labels", []policyv1alpha1.ResourceSelector{sel("", map[string]string{"app": "api"})}, "demo", None},
		{"policy of another namespace", []policyv1alpha1.ResourceSelector{sel("web", nil)}, "other", None},
		{"cluster policy, any namespace", []policyv1alpha1.ResourceSelector{sel("web", nil)}, "", ByName},
		{"cluster policy limited to another namespace", []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "x"}}, "", None},
		{"other kind", []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Service"}}, "demo", None},
	} {
		assert.Equal(t, tc.want, Match(tc.selectors, tc.policyNS, tpl), tc.name)
	}
}

func TestOverrideSelects(t *testing.T) {
	tpl := template()
	assert.True(t, Selects(nil, "demo", tpl), "no selectors: everything in the policy's namespace")
	assert.False(t, Selects(nil, "other", tpl), "but nothing outside it")
	assert.True(t, Selects(nil, "", tpl), "a cluster policy without selectors picks everything")
	assert.True(t, Selects([]policyv1alpha1.ResourceSelector{sel("", map[string]string{"app": "web"})}, "demo", tpl))
	assert.False(t, Selects([]policyv1alpha1.ResourceSelector{sel("api", nil)}, "", tpl))
}

func TestInvalidLabelSelectorPicksNothing(t *testing.T) {
	bad := &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Sideways"}}}
	assert.False(t, LabelsMatch(bad, map[string]string{"app": "web"}))
	assert.Equal(t, None, Match([]policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", LabelSelector: bad}}, "demo", template()))
}
