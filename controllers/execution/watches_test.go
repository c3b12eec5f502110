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

package execution

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

func memberDeployment(ready int64, conditionMessage string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{
			"namespace": "demo", "name": "nginx", "uid": "u1", "resourceVersion": "7", "generation": int64(2),
			"labels": map[string]any{"app": "nginx", names.ManagedByLabel: "true",
				names.WorkNamespaceLabel: "karmada-es-m1", names.WorkNameLabel: "nginx-abc"},
			"annotations": map[string]any{workload.TemplateGenerationAnnotation: "3", "other": "x"},
		},
		"spec": map[string]any{"replicas": int64(2), "template": map[string]any{"spec": map[string]any{}}},
		"status": map[string]any{
			"observedGeneration": int64(2), "replicas": int64(2), "updatedReplicas": int64(2),
			"readyReplicas": ready, "availableReplicas": ready, "unavailableReplicas": 2 - ready,
			"conditions": []any{map[string]any{"type": "Available", "message": conditionMessage}},
		},
	}}
}

func TestSlimKeepsWhatReflectionReads(t *testing.T) {
	kept, err := slim(memberDeployment(2, "a"))
	require.NoError(t, err)
	o := kept.(*memberObject)
	assert.Equal(t, map[string]string{names.ManagedByLabel: "true", names.WorkNamespaceLabel: "karmada-es-m1", names.WorkNameLabel: "nginx-abc"},
		o.Labels, "only the labels we read")
	assert.Equal(t, map[string]string{workload.TemplateGenerationAnnotation: "3"}, o.Annotations)

	// Reflecting the kept object gives what reflecting the whole one gives.
	want, wantHealth, err := workload.Reflect(memberDeployment(2, "a"))
	require.NoError(t, err)
	got, gotHealth, err := workload.Reflect(o.unstructured())
	require.NoError(t, err)
	assert.JSONEq(t, string(want.Raw), string(got.Raw))
	assert.Equal(t, workv1alpha1.ResourceHealthy, gotHealth)
	assert.Equal(t, wantHealth, gotHealth)
	assert.True(t, o.Healthy)

	starting, err := slim(memberDeployment(1, "a"))
	require.NoError(t, err)
	assert.False(t, starting.(*memberObject).Healthy, "one replica of two is not healthy")
}

func TestSameSlimIgnoresWhatIsNotKept(t *testing.T) {
	a, _ := slim(memberDeployment(1, "a"))
	b, _ := slim(memberDeployment(1, "b"))
	c, _ := slim(memberDeployment(2, "a"))
	assert.True(t, sameSlim(a, b), "a condition message is not reflected: no news")
	assert.False(t, sameSlim(a, c), "a ready replica more is news")
	assert.True(t, sameSlim(a, a.(*memberObject).DeepCopyObject()))
}
