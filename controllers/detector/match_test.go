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

package detector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"

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

func TestPrecision(t *testing.T) {
	tpl := template()
	for _, tc := range []struct {
		name      string
		selectors []policyv1alpha1.ResourceSelector
		policyNS  string
		want      int
	}{
		{"by name", []policyv1alpha1.ResourceSelector{sel("web", nil)}, "demo", byName},
		{"by label", []policyv1alpha1.ResourceSelector{sel("", map[string]string{"app": "web"})}, "demo", byLabel},
		{"by kind", []policyv1alpha1.ResourceSelector{sel("", nil)}, "demo", byKind},
		{"the most precise selector counts", []policyv1alpha1.ResourceSelector{sel("", nil), sel("web", nil)}, "demo", byName},
		{"name wins over a label that does not match", []policyv1alpha1.ResourceSelector{sel("web", map[string]string{"app": "other"})}, "demo", byName},
		{"other name", []policyv1alpha1.ResourceSelector{sel("api", nil)}, "demo", noMatch},
		{"other labels", []policyv1alpha1.ResourceSelector{sel("", map[string]string{"app": "api"})}, "demo", noMatch},
		{"policy of another namespace", []policyv1alpha1.ResourceSelector{sel("web", nil)}, "other", noMatch},
		{"cluster policy, any namespace", []policyv1alpha1.ResourceSelector{sel("web", nil)}, "", byName},
		{"cluster policy limited to another namespace", []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "x"}}, "", noMatch},
		{"other kind", []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Service"}}, "demo", noMatch},
	} {
		assert.Equal(t, tc.want, precision(tc.selectors, tc.policyNS, tpl), tc.name)
	}
}

func TestBestPolicy(t *testing.T) {
	spec := func(priority int32) *policyv1alpha1.PropagationSpec {
		return &policyv1alpha1.PropagationSpec{Priority: ptr.To(priority)}
	}
	pick := func(cands ...candidate) string { return best(cands).name }

	assert.Equal(t, "pp", pick(candidate{name: "cpp", spec: spec(100), precision: byName}, candidate{namespace: "demo", name: "pp", spec: spec(0), precision: byKind}),
		"a namespaced policy wins over a cluster one")
	assert.Equal(t, "high", pick(candidate{namespace: "demo", name: "low", spec: spec(1), precision: byName}, candidate{namespace: "demo", name: "high", spec: spec(2), precision: byKind}),
		"then the higher priority")
	assert.Equal(t, "named", pick(candidate{namespace: "demo", name: "kind", spec: spec(0), precision: byKind}, candidate{namespace: "demo", name: "named", spec: spec(0), precision: byName}),
		"then the more precise selector")
	assert.Equal(t, "a", pick(candidate{namespace: "demo", name: "b", spec: spec(0), precision: byLabel}, candidate{namespace: "demo", name: "a", spec: spec(0), precision: byLabel}),
		"then the name")
	assert.Nil(t, best(nil))
}
