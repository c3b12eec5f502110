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

package overrides

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
)

func configMap() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"namespace": "team-a", "name": "settings"},
		"data":     map[string]any{"k": "v"},
	}}
}

func oneRule(o policyv1alpha1.Overriders) *Set {
	policy := &policyv1alpha1.OverridePolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: "sneaky"}}
	return &Set{rules: []rule{{policy, policyv1alpha1.RuleWithCluster{Overriders: o}}}}
}

func plaintext(op policyv1alpha1.OverriderOperator, path, value string) policyv1alpha1.Overriders {
	p := policyv1alpha1.PlaintextOverrider{Path: path, Operator: op}
	if value != "" {
		p.Value = apiextensionsv1.JSON{Raw: []byte(value)}
	}
	return policyv1alpha1.Overriders{Plaintext: []policyv1alpha1.PlaintextOverrider{p}}
}

// A tenant's override once moved its ConfigMap into a member's kube-system
// and turned it into a ClusterRoleBinding. Every such change is refused,
// naming the policy and what it tried.
func TestOverrideCannotChangeIdentity(t *testing.T) {
	for _, tc := range []struct {
		what  string
		o     policyv1alpha1.Overriders
		field string
	}{
		{"namespace", plaintext(policyv1alpha1.OverriderOpReplace, "/metadata/namespace", `"kube-system"`), "namespace"},
		{"namespace removed", plaintext(policyv1alpha1.OverriderOpRemove, "/metadata/namespace", ""), "namespace"},
		{"name", plaintext(policyv1alpha1.OverriderOpReplace, "/metadata/name", `"other"`), "name"},
		{"whole metadata", plaintext(policyv1alpha1.OverriderOpReplace, "/metadata", `{"name":"settings","namespace":"kube-system"}`), "namespace"},
		{"kind", plaintext(policyv1alpha1.OverriderOpReplace, "/kind", `"Secret"`), "kind"},
		{"group", plaintext(policyv1alpha1.OverriderOpReplace, "/apiVersion", `"rbac.authorization.k8s.io/v1"`), "API group"},
		{"name by image predicate", policyv1alpha1.Overriders{ImageOverrider: []policyv1alpha1.ImageOverrider{{
			Predicate: &policyv1alpha1.ImagePredicate{Path: "/metadata/namespace"}, Component: policyv1alpha1.Repository,
			Operator: policyv1alpha1.OverriderOpReplace, Value: "kube-system"}}}, "namespace"},
	} {
		obj := configMap()
		err := oneRule(tc.o).Apply(obj, "member1")
		var idErr *IdentityError
		require.ErrorAs(t, err, &idErr, tc.what)
		assert.Equal(t, tc.field, idErr.Field, tc.what)
		assert.Contains(t, err.Error(), "OverridePolicy team-a/sneaky refused", tc.what)
	}
}

func TestOverrideMayChangeTheVersion(t *testing.T) {
	obj := configMap()
	obj.SetAPIVersion("autoscaling/v2")
	obj.SetKind("HorizontalPodAutoscaler")
	require.NoError(t, oneRule(plaintext(policyv1alpha1.OverriderOpReplace, "/apiVersion", `"autoscaling/v1"`)).Apply(obj, "member1"))
	assert.Equal(t, "autoscaling/v1", obj.GetAPIVersion())
}

// FuzzOverrideKeepsIdentity applies random plaintext and image overrides:
// whatever they do, the copy either keeps its group, kind, namespace and
// name, or the override fails.
func FuzzOverrideKeepsIdentity(f *testing.F) {
	f.Add(uint8(0), "/metadata/namespace", `"kube-system"`, "")
	f.Add(uint8(1), "/metadata", `{}`, "/metadata/name")
	f.Add(uint8(2), "/kind", "", "/apiVersion")
	f.Add(uint8(0), "/data/k", `"w"`, "/data/k")
	f.Fuzz(func(t *testing.T, op uint8, path, value, imagePath string) {
		ops := []policyv1alpha1.OverriderOperator{policyv1alpha1.OverriderOpAdd, policyv1alpha1.OverriderOpReplace, policyv1alpha1.OverriderOpRemove}
		o := plaintext(ops[int(op)%3], path, value)
		o.ImageOverrider = []policyv1alpha1.ImageOverrider{{Predicate: &policyv1alpha1.ImagePredicate{Path: imagePath},
			Component: policyv1alpha1.Registry, Operator: policyv1alpha1.OverriderOpAdd, Value: value}}
		obj := configMap()
		before := identityOf(obj)
		if err := oneRule(o).Apply(obj, "member1"); err != nil {
			return
		}
		require.Equal(t, before, identityOf(obj))
	})
}
