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
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
)

func TestChangeImage(t *testing.T) {
	for _, tc := range []struct {
		image     string
		component policyv1alpha1.ImageComponent
		op        policyv1alpha1.OverriderOperator
		value     string
		want      string
	}{
		{"nginx:1.27", policyv1alpha1.Registry, policyv1alpha1.OverriderOpAdd, "mirror.example.com", "mirror.example.com/nginx:1.27"},
		{"docker.io/library/nginx:1.27", policyv1alpha1.Registry, policyv1alpha1.OverriderOpReplace, "eu.gcr.io", "eu.gcr.io/library/nginx:1.27"},
		{"registry.local:5000/team/app:v1", policyv1alpha1.Registry, policyv1alpha1.OverriderOpRemove, "", "team/app:v1"},
		{"nginx:1.27", policyv1alpha1.Tag, policyv1alpha1.OverriderOpReplace, "1.28", "nginx:1.28"},
		{"nginx@sha256:abc", policyv1alpha1.Tag, policyv1alpha1.OverriderOpReplace, "1.28", "nginx:1.28"},
		{"team/app:v1", policyv1alpha1.Repository, policyv1alpha1.OverriderOpReplace, "other/app", "other/app:v1"},
		{"localhost/app", policyv1alpha1.Repository, policyv1alpha1.OverriderOpAdd, "-debug", "localhost/app-debug"},
	} {
		got := ChangeImage(tc.image, policyv1alpha1.ImageOverrider{Component: tc.component, Operator: tc.op, Value: tc.value})
		assert.Equal(t, tc.want, got, "%s %s %s %s", tc.image, tc.op, tc.component, tc.value)
	}
}

func TestApplyOverriders(t *testing.T) {
	obj := &unstructured.Unstructured{}
	require.NoError(t, yaml.Unmarshal([]byte(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web, tier: old, stale: x}, annotations: {keep: me}}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - {name: web, image: nginx:1.27, args: [--a, --b]}
      - {name: side, image: busybox}
`), &obj.Object))
	value := func(v string) apiextensionsv1.JSON { return apiextensionsv1.JSON{Raw: []byte(v)} }
	err := apply(obj, policyv1alpha1.Overriders{
		ImageOverrider:       []policyv1alpha1.ImageOverrider{{Component: policyv1alpha1.Registry, Operator: policyv1alpha1.OverriderOpAdd, Value: "mirror.io"}},
		ArgsOverrider:        []policyv1alpha1.CommandArgsOverrider{{ContainerName: "web", Operator: policyv1alpha1.OverriderOpRemove, Value: []string{"--a"}}},
		CommandOverrider:     []policyv1alpha1.CommandArgsOverrider{{ContainerName: "side", Operator: policyv1alpha1.OverriderOpAdd, Value: []string{"sleep", "1"}}},
		LabelsOverrider:      []policyv1alpha1.LabelAnnotationOverrider{{Operator: policyv1alpha1.OverriderOpReplace, Value: map[string]string{"tier": "web", "absent": "no"}}, {Operator: policyv1alpha1.OverriderOpRemove, Value: map[string]string{"stale": ""}}},
		AnnotationsOverrider: []policyv1alpha1.LabelAnnotationOverrider{{Operator: policyv1alpha1.OverriderOpAdd, Value: map[string]string{"owner": "platform"}}},
		Plaintext:            []policyv1alpha1.PlaintextOverrider{{Path: "/spec/replicas", Operator: policyv1alpha1.OverriderOpReplace, Value: value("7")}},
	})
	require.NoError(t, err)

	containers, _, _ := unstructured.NestedSlice(obj.Object, "spec", "template", "spec", "containers")
	web, side := containers[0].(map[string]any), containers[1].(map[string]any)
	assert.Equal(t, "mirror.io/nginx:1.27", web["image"])
	assert.Equal(t, "mirror.io/busybox", side["image"])
	assert.Equal(t, []any{"--b"}, web["args"])
	assert.Equal(t, []any{"sleep", "1"}, side["command"])
	assert.Equal(t, map[string]string{"app": "web", "tier": "web"}, obj.GetLabels(), "replace changes only existing keys")
	assert.Equal(t, map[string]string{"keep": "me", "owner": "platform"}, obj.GetAnnotations())
	replicas, _, _ := unstructured.NestedInt64(obj.Object, "spec", "replicas")
	assert.Equal(t, int64(7), replicas)
}

func TestFieldOverrider(t *testing.T) {
	obj := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"},
		"data": map[string]any{"config.yaml": "log:\n  level: info\nport: 80\n"},
	}}
	err := apply(obj, policyv1alpha1.Overriders{FieldOverrider: []policyv1alpha1.FieldOverrider{{
		FieldPath: "/data/config.yaml",
		YAML: []policyv1alpha1.YAMLPatchOperation{{SubPath: "/log/level", Operator: policyv1alpha1.OverriderOpReplace,
			Value: apiextensionsv1.JSON{Raw: []byte(`"debug"`)}}},
	}}})
	require.NoError(t, err)
	data, _, _ := unstructured.NestedString(obj.Object, "data", "config.yaml")
	assert.YAMLEq(t, "log:\n  level: debug\nport: 80\n", data)
}
