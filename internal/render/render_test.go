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

package render

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/overrides"
)

func deployment() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{
			"namespace": "shop", "name": "web", "uid": "1234", "resourceVersion": "9", "generation": int64(3),
			"labels":      map[string]any{"app": "web", "propagationpolicy.karmada.io/name": "web"},
			"annotations": map[string]any{"kubectl.kubernetes.io/last-applied-configuration": "{}"},
		},
		"spec": map[string]any{
			"replicas": int64(5),
			"template": map[string]any{"spec": map[string]any{"containers": []any{
				map[string]any{"name": "web", "image": "registry.example/web:1"}}}},
		},
		"status": map[string]any{"replicas": int64(5)},
	}}
}

func configMap() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"namespace": "shop", "name": "settings", "generation": int64(1)},
		"data":     map[string]any{"k": "v"},
	}}
}

// imageIn is an OverridePolicy of namespace ns that sets the registry of
// every Deployment in clusters of region.
func imageIn(ns, region, registry string) client.Object {
	return &policyv1alpha1.OverridePolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "registry-" + region},
		Spec: policyv1alpha1.OverrideSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}},
			OverrideRules: []policyv1alpha1.RuleWithCluster{{
				TargetCluster: &policyv1alpha1.ClusterAffinity{FieldSelector: &policyv1alpha1.FieldSelector{
					MatchExpressions: []policyv1alpha1.FieldSelectorRequirement{{Key: "region", Operator: "In", Values: []string{region}}}}},
				Overriders: policyv1alpha1.Overriders{ImageOverrider: []policyv1alpha1.ImageOverrider{{
					Component: policyv1alpha1.Registry, Operator: policyv1alpha1.OverriderOpReplace, Value: registry}}},
			}},
		},
	}
}

// renameTo is a ClusterOverridePolicy that tries to rename every ConfigMap.
func renameTo(name string) client.Object {
	return &policyv1alpha1.ClusterOverridePolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "rename"},
		Spec: policyv1alpha1.OverrideSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "ConfigMap"}},
			Overriders: policyv1alpha1.Overriders{Plaintext: []policyv1alpha1.PlaintextOverrider{{
				Path: "/metadata/name", Operator: policyv1alpha1.OverriderOpReplace, Value: apiextensionsv1.JSON{Raw: []byte(`"` + name + `"`)}}}},
		},
	}
}

func TestForMember(t *testing.T) {
	clusters := []clusterv1alpha1.Cluster{
		{ObjectMeta: metav1.ObjectMeta{Name: "east"}, Spec: clusterv1alpha1.ClusterSpec{Region: "us-east"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "west"}, Spec: clusterv1alpha1.ClusterSpec{Region: "eu-west"}},
	}
	for _, tc := range []struct {
		name     string
		template *unstructured.Unstructured
		target   workv1alpha2.TargetCluster
		conflict policyv1alpha1.ConflictResolution
		policies []client.Object
		// check looks at the copy; err is a part of the error instead.
		check func(t *testing.T, obj *unstructured.Unstructured)
		err   string
	}{
		{name: "the member's share of the replicas, without what the control plane owns",
			template: deployment(), target: workv1alpha2.TargetCluster{Name: "east", Replicas: 2},
			check: func(t *testing.T, obj *unstructured.Unstructured) {
				replicas, _, _ := unstructured.NestedInt64(obj.Object, "spec", "replicas")
				assert.Equal(t, int64(2), replicas)
				assert.Empty(t, obj.GetUID())
				assert.Empty(t, obj.GetResourceVersion())
				assert.NotContains(t, obj.Object, "status")
				assert.Equal(t, map[string]string{"app": "web", "propagationpolicy.karmada.io/name": "web"}, obj.GetLabels(), "the policy's marks go along, as in Karmada")
				assert.Equal(t, map[string]string{"resourcetemplate.karmada.io/generation": "3"}, obj.GetAnnotations(), "kubectl's last applied configuration does not")
			}},
		{name: "a kind without replicas goes whole",
			template: configMap(), target: workv1alpha2.TargetCluster{Name: "east"},
			check: func(t *testing.T, obj *unstructured.Unstructured) {
				assert.Equal(t, map[string]any{"k": "v"}, obj.Object["data"])
				assert.NotContains(t, obj.Object, "spec")
			}},
		{name: "conflictResolution Overwrite is said on the copy",
			template: configMap(), target: workv1alpha2.TargetCluster{Name: "east"}, conflict: policyv1alpha1.ConflictOverwrite,
			check: func(t *testing.T, obj *unstructured.Unstructured) {
				assert.Equal(t, "overwrite", obj.GetAnnotations()["work.karmada.io/conflict-resolution"])
			}},
		{name: "an override for the member's region applies",
			template: deployment(), target: workv1alpha2.TargetCluster{Name: "west", Replicas: 3},
			policies: []client.Object{imageIn("shop", "eu-west", "eu.registry.example"), imageIn("shop", "us-east", "us.registry.example")},
			check: func(t *testing.T, obj *unstructured.Unstructured) {
				containers, _, _ := unstructured.NestedSlice(obj.Object, "spec", "template", "spec", "containers")
				assert.Equal(t, "eu.registry.example/web:1", containers[0].(map[string]any)["image"])
			}},
		{name: "an OverridePolicy of another namespace does not",
			template: deployment(), target: workv1alpha2.TargetCluster{Name: "west", Replicas: 3},
			policies: []client.Object{imageIn("other", "eu-west", "eu.registry.example")},
			check: func(t *testing.T, obj *unstructured.Unstructured) {
				containers, _, _ := unstructured.NestedSlice(obj.Object, "spec", "template", "spec", "containers")
				assert.Equal(t, "registry.example/web:1", containers[0].(map[string]any)["image"])
			}},
		{name: "an override that renames the copy is refused",
			template: configMap(), target: workv1alpha2.TargetCluster{Name: "east"},
			policies: []client.Object{renameTo("kube-root-ca.crt")},
			err:      "ClusterOverridePolicy rename refused: an override may not change the name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.template.DeepCopy()
			ops := overrides.Select(tc.policies, clusters, tc.template)
			obj, err := ForMember(tc.template, tc.target, tc.conflict, ops)
			assert.Equal(t, before, tc.template, "the template is not changed")
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				var idErr *overrides.IdentityError
				assert.ErrorAs(t, err, &idErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, obj)
		})
	}
}
